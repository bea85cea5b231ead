{{- /*
As kube-prometheus-stack 58.0.0 renders them (templates/exporters/<component>/service.yaml): the
Services of the control-plane components live in kube-system, next to the pods they select, with
`namespace: kube-system` written into the template; their ServiceMonitors live in the release namespace.
*/}}
{{- range $c := list "coredns" "kube-controller-manager" "kube-etcd" "kube-proxy" "kube-scheduler" }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $.Release.Name }}-{{ $c }}
  namespace: kube-system
  labels:
    app: kube-prometheus-stack-{{ $c }}
    jobLabel: {{ $c }}
    release: {{ $.Release.Name | quote }}
    app.kubernetes.io/instance: {{ $.Release.Name }}
spec:
  clusterIP: None
  ports:
    - name: http-metrics
      port: 10249
  selector:
    component: {{ $c }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $.Release.Name }}-{{ $c }}
  namespace: {{ $.Release.Namespace }}
spec:
  jobLabel: jobLabel
  namespaceSelector:
    matchNames: [kube-system]
  selector:
    matchLabels:
      app: kube-prometheus-stack-{{ $c }}
      release: {{ $.Release.Name | quote }}
  endpoints:
    - port: http-metrics
{{- end }}
