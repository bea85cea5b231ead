{{- if .Values.prometheus.enabled }}
{{- $spec := .Values.prometheus.prometheusSpec }}
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: {{ .Release.Name }}-prometheus
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ $spec.replicas }}
  retention: {{ $spec.retention | quote }}
  externalLabels:
{{ toYaml $spec.externalLabels | indent 4 }}
  {{- if $spec.remoteWrite }}
  remoteWrite:
{{ toYaml $spec.remoteWrite | indent 4 }}
  {{- end }}
  resources:
{{ toYaml $spec.resources | indent 4 }}
  {{- if $spec.serviceMonitorSelectorNilUsesHelmValues }}
  serviceMonitorSelector:
    matchLabels:
      release: {{ .Release.Name | quote }}
  {{- else }}
  serviceMonitorSelector: {}
  {{- end }}
  {{- if $spec.podMonitorSelectorNilUsesHelmValues }}
  podMonitorSelector:
    matchLabels:
      release: {{ .Release.Name | quote }}
  {{- else }}
  podMonitorSelector: {}
  {{- end }}
{{- end }}
