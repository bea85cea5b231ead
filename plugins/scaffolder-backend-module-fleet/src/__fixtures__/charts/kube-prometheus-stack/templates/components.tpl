{{- range $name := list "alertmanager" "grafana" }}
{{- if (index $.Values $name).enabled }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $.Release.Name }}-{{ $name }}-component
  namespace: {{ $.Release.Namespace }}
  labels:
    fleet-test/component: {{ $name }}
data: {}
{{- end }}
{{- end }}
