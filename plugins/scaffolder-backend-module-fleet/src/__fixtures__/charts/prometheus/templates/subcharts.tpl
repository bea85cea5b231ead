{{- range $name := list "alertmanager" "kube-state-metrics" "prometheus-node-exporter" "prometheus-pushgateway" }}
{{- if (index $.Values $name).enabled }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $.Release.Name }}-{{ $name }}-subchart
  labels:
    fleet-test/subchart: {{ $name }}
data: {}
{{- end }}
{{- end }}
