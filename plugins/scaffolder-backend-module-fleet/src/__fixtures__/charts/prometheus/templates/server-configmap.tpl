{{- $cfg := deepCopy (index .Values.serverFiles "prometheus.yml") -}}
{{- $_ := set $cfg "global" .Values.server.global -}}
{{- if .Values.server.remoteWrite }}{{ $_ := set $cfg "remote_write" .Values.server.remoteWrite }}{{ end -}}
{{- if .Values.server.remoteRead }}{{ $_ := set $cfg "remote_read" .Values.server.remoteRead }}{{ end -}}
{{- if .Values.alertmanager.enabled }}
{{- $_ := set $cfg "alerting" (dict "alertmanagers" (list (dict "static_configs" (list (dict "targets" (list (printf "%s-alertmanager:9093" .Release.Name))))))) -}}
{{- end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-server
  labels:
    app.kubernetes.io/name: prometheus
    app.kubernetes.io/component: server
data:
  prometheus.yml: |
{{ toYaml $cfg | indent 4 }}
