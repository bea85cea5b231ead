{{- /* Same conditions and keys as kube-prometheus-stack 58.0.0 templates/grafana/configmaps-datasources.yaml and grafana 7.3.x templates/tests/test.yaml */ -}}
{{- if and .Values.grafana.enabled .Values.grafana.sidecar.datasources.enabled }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-grafana-datasource
  namespace: {{ .Release.Namespace }}
  labels:
    grafana_datasource: "1"
data:
  datasource.yaml: |-
    apiVersion: 1
    datasources:
{{- if .Values.grafana.sidecar.datasources.defaultDatasourceEnabled }}
    - name: Prometheus
      type: prometheus
      uid: {{ .Values.grafana.sidecar.datasources.uid }}
      url: http://{{ .Release.Name }}-prometheus.{{ .Release.Namespace }}:9090/
      access: proxy
      isDefault: {{ .Values.grafana.sidecar.datasources.isDefaultDatasource }}
{{- end }}
{{- if .Values.grafana.additionalDataSources }}
{{ tpl (toYaml .Values.grafana.additionalDataSources | indent 4) . }}
{{- end }}
{{- end }}
{{- if and .Values.grafana.enabled .Values.grafana.testFramework.enabled }}
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-grafana-test
  namespace: {{ .Release.Namespace }}
  annotations:
    "helm.sh/hook": test-success
spec:
  restartPolicy: Never
  containers:
    - name: {{ .Release.Name }}-test
      image: docker.io/bats/bats:v1.4.1
{{- end }}
