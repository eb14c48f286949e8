{{/*
Names and labels. Every template refers to values by their full `.Values.…` path so that the chart
test can check that each value in values.schema.json is used.
*/}}

{{- define "hawser.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "hawser.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "hawser.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hawser.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hawser.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hawser.labels" -}}
helm.sh/chart: {{ include "hawser.chart" . }}
{{ include "hawser.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hawser
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "hawser.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "hawser.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "hawser.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "hawser.electionId" -}}
{{- default (printf "%s-leader" (include "hawser.fullname" .)) .Values.controller.electionId -}}
{{- end -}}

{{/* The runtime socket both containers share on an emptyDir; the only channel between them. */}}
{{- define "hawser.runtimeDir" -}}/var/run/hawser{{- end -}}
{{- define "hawser.runtimeSocket" -}}/var/run/hawser/hawser.sock{{- end -}}

{{- define "hawser.publishService" -}}
{{- if .Values.controller.publishService.pathOverride -}}
{{- .Values.controller.publishService.pathOverride -}}
{{- else -}}
{{- printf "%s/%s" .Release.Namespace (include "hawser.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/*
Cross-value checks the schema cannot express; each fails the install with the value names to fix.
*/}}
{{- define "hawser.validate" -}}
{{- if and .Values.controller.autoscaling.enabled (eq .Values.controller.kind "DaemonSet") -}}
{{- fail "controller.autoscaling.enabled=true needs controller.kind=Deployment: a DaemonSet runs one pod per node and cannot be autoscaled" -}}
{{- end -}}
{{- if lt (int .Values.controller.autoscaling.maxReplicas) (int .Values.controller.autoscaling.minReplicas) -}}
{{- fail "controller.autoscaling.maxReplicas must be at least controller.autoscaling.minReplicas" -}}
{{- end -}}
{{- if and .Values.controller.autoscaling.enabled (eq (int .Values.controller.autoscaling.targetCPUUtilizationPercentage) 0) (eq (int .Values.controller.autoscaling.targetMemoryUtilizationPercentage) 0) -}}
{{- fail "controller.autoscaling.enabled=true needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage above 0" -}}
{{- end -}}
{{- $drain := add .Values.controller.preStopSleepSeconds .Values.proxy.hardStopAfterSeconds -}}
{{- if lt (int .Values.controller.terminationGracePeriodSeconds) (int $drain) -}}
{{- fail (printf "controller.terminationGracePeriodSeconds (%d) must be at least controller.preStopSleepSeconds + proxy.hardStopAfterSeconds (%d), or Kubernetes kills the proxy before in-flight requests finish" (int .Values.controller.terminationGracePeriodSeconds) (int $drain)) -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) -}}
{{- fail "metrics.serviceMonitor.enabled=true needs metrics.enabled=true: the ServiceMonitor scrapes the metrics Service" -}}
{{- end -}}
{{- if and .Values.controller.podDisruptionBudget.enabled (eq (int .Values.controller.podDisruptionBudget.minAvailable) 0) (eq (int .Values.controller.podDisruptionBudget.maxUnavailable) 0) -}}
{{- fail "controller.podDisruptionBudget needs minAvailable or maxUnavailable above 0" -}}
{{- end -}}
{{- $ports := list (int .Values.proxy.ports.http) (int .Values.proxy.ports.https) (int .Values.proxy.adminPort) (int .Values.controller.metricsPort) -}}
{{- if ne (len $ports) (len (uniq $ports)) -}}
{{- fail "proxy.ports.http, proxy.ports.https, proxy.adminPort and controller.metricsPort must be different ports (the two containers share the pod's network)" -}}
{{- end -}}
{{- if and .Values.controller.publishService.enabled (not .Values.service.enabled) (not .Values.controller.publishService.pathOverride) -}}
{{- fail "controller.publishService.enabled=true publishes the chart's Service, which service.enabled=false leaves out: set controller.publishService.pathOverride=<namespace>/<service> or controller.publishService.enabled=false" -}}
{{- end -}}
{{- if and .Values.rbac.create (not .Values.serviceAccount.create) (not .Values.serviceAccount.name) -}}
{{- fail "serviceAccount.name is required when serviceAccount.create=false and rbac.create=true: the chart will not grant its rights to the namespace's default ServiceAccount" -}}
{{- end -}}
{{- end -}}

{{/*
The frontends' X-Forwarded-* line for proxy.forwardedHeaders (docs/http.md). Each value maps to a
fixed line; the schema's enum already refuses anything else, and so does the fail below.
*/}}
{{- define "hawser.forwardfor" -}}
{{- $mode := .Values.proxy.forwardedHeaders -}}
{{- if eq $mode "replace" -}}option forwardfor replace
{{- else if eq $mode "append" -}}option forwardfor append
{{- else if eq $mode "off" -}}no option forwardfor
{{- else -}}{{- fail "proxy.forwardedHeaders must be replace, append or off" -}}
{{- end -}}
{{- end -}}

{{/* PromQL label selector for this release's pods (target labels added by prometheus-operator). */}}
{{- define "hawser.promSelector" -}}
namespace="{{ .Release.Namespace }}",pod=~"{{ include "hawser.fullname" . }}-.*"
{{- end -}}
