{{/*
The pod: two containers from one image. The controller talks to Kubernetes and drives the proxy
through the runtime socket; the proxy serves traffic and holds no Kubernetes credentials. The pod
does not automount the ServiceAccount token; a projected token (with the cluster CA and the
namespace, what the automount would have given) is mounted into the controller container only.
*/}}
{{- define "hawser.podTemplate" -}}
metadata:
  labels:
    {{- include "hawser.selectorLabels" . | nindent 4 }}
    app.kubernetes.io/component: controller
    {{- with .Values.controller.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # The proxy never reloads its file: a changed file rolls the pods instead.
    checksum/proxy-config: {{ include (print $.Template.BasePath "/configmap-proxy.yaml") . | sha256sum }}
    {{- with .Values.controller.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "hawser.serviceAccountName" . }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ int .Values.controller.terminationGracePeriodSeconds }}
  {{- with .Values.controller.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.controller.podSecurityContext | nindent 4 }}
  {{- with .Values.controller.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.controller.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.controller.affinity }}
  affinity:
    {{- toYaml .Values.controller.affinity | nindent 4 }}
  {{- else if eq .Values.controller.antiAffinity "soft" }}
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                {{- include "hawser.selectorLabels" . | nindent 16 }}
  {{- else if eq .Values.controller.antiAffinity "hard" }}
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "hawser.selectorLabels" . | nindent 14 }}
  {{- end }}
  {{- with .Values.controller.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- range . }}
    - {{- toYaml (omit . "labelSelector") | nindent 6 }}
      labelSelector:
        {{- if .labelSelector }}
        {{- toYaml .labelSelector | nindent 8 }}
        {{- else }}
        matchLabels:
          {{- include "hawser.selectorLabels" $ | nindent 10 }}
        {{- end }}
    {{- end }}
  {{- end }}
  containers:
    - name: controller
      image: {{ include "hawser.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: ["node", "/app/bin/hawser-controller.js"]
      args:
        - --controller-class={{ .Values.ingressClassResource.controllerValue }}
        {{- range .Values.controller.scope.namespaces }}
        - --watch-namespace={{ . }}
        {{- end }}
        {{- if .Values.controller.watchIngressWithoutClass }}
        - --watch-ingress-without-class
        {{- end }}
        {{- with .Values.controller.defaultSSLCertificate }}
        - --default-ssl-certificate={{ . }}
        {{- end }}
        {{- if .Values.controller.allowExternalNameServices }}
        - --allow-external-name
        {{- end }}
        - --runtime-socket={{ include "hawser.runtimeSocket" . }}
        {{- if .Values.controller.publishService.enabled }}
        - --publish-service={{ include "hawser.publishService" . }}
        {{- end }}
        - --election-id={{ include "hawser.electionId" . }}
        - --admin-port={{ int .Values.controller.metricsPort }}
        {{- range .Values.controller.extraArgs }}
        - {{ . | quote }}
        {{- end }}
      env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        {{- with .Values.controller.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: metrics
          containerPort: {{ int .Values.controller.metricsPort }}
          protocol: TCP
      startupProbe:
        httpGet: { path: /healthz, port: metrics }
        periodSeconds: {{ int .Values.controller.probes.periodSeconds }}
        timeoutSeconds: {{ int .Values.controller.probes.timeoutSeconds }}
        failureThreshold: {{ int .Values.controller.probes.startupFailureThreshold }}
      livenessProbe:
        httpGet: { path: /healthz, port: metrics }
        periodSeconds: {{ int .Values.controller.probes.periodSeconds }}
        timeoutSeconds: {{ int .Values.controller.probes.timeoutSeconds }}
        failureThreshold: {{ int .Values.controller.probes.failureThreshold }}
      readinessProbe:
        httpGet: { path: /readyz, port: metrics }
        periodSeconds: {{ int .Values.controller.probes.periodSeconds }}
        timeoutSeconds: {{ int .Values.controller.probes.timeoutSeconds }}
        failureThreshold: {{ int .Values.controller.probes.failureThreshold }}
      resources:
        {{- toYaml .Values.controller.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.controller.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: runtime
          mountPath: {{ include "hawser.runtimeDir" . }}
        - name: tmp
          mountPath: /tmp
          subPath: controller
        - name: kube-api-access
          mountPath: /var/run/secrets/kubernetes.io/serviceaccount
          readOnly: true
    - name: proxy
      image: {{ include "hawser.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: ["node", "/app/bin/hawser-proxy.js"]
      args: ["-f", "/etc/hawser/hawser.cfg"]
      env:
        - name: HAWSER_ADMIN_PORT
          value: {{ int .Values.proxy.adminPort | quote }}
        {{- with .Values.proxy.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: http
          containerPort: {{ int .Values.proxy.ports.http }}
          protocol: TCP
        {{- if .Values.proxy.https.enabled }}
        - name: https
          containerPort: {{ int .Values.proxy.ports.https }}
          protocol: TCP
        {{- end }}
        - name: admin
          containerPort: {{ int .Values.proxy.adminPort }}
          protocol: TCP
      startupProbe:
        httpGet: { path: /healthz, port: admin }
        periodSeconds: {{ int .Values.controller.probes.periodSeconds }}
        timeoutSeconds: {{ int .Values.controller.probes.timeoutSeconds }}
        failureThreshold: {{ int .Values.controller.probes.startupFailureThreshold }}
      livenessProbe:
        httpGet: { path: /healthz, port: admin }
        periodSeconds: {{ int .Values.controller.probes.periodSeconds }}
        timeoutSeconds: {{ int .Values.controller.probes.timeoutSeconds }}
        failureThreshold: {{ int .Values.controller.probes.failureThreshold }}
      readinessProbe:
        httpGet: { path: /readyz, port: admin }
        periodSeconds: {{ int .Values.controller.probes.periodSeconds }}
        timeoutSeconds: {{ int .Values.controller.probes.timeoutSeconds }}
        failureThreshold: {{ int .Values.controller.probes.failureThreshold }}
      {{- if gt (int .Values.controller.preStopSleepSeconds) 0 }}
      lifecycle:
        # Terminating a pod removes it from the endpoints and sends SIGTERM at the same time; the
        # sleep keeps the proxy accepting until load balancers and kube-proxy have stopped sending
        # here. Then SIGTERM soft-stops the proxy: listeners close, in-flight requests finish
        # (at most hard-stop-after), the process exits.
        preStop:
          {{- if semverCompare ">=1.30.0-0" .Capabilities.KubeVersion.Version }}
          sleep:
            seconds: {{ int .Values.controller.preStopSleepSeconds }}
          {{- else }}
          exec:
            command: ["sleep", "{{ int .Values.controller.preStopSleepSeconds }}"]
          {{- end }}
      {{- end }}
      resources:
        {{- toYaml .Values.proxy.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.controller.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: runtime
          mountPath: {{ include "hawser.runtimeDir" . }}
        - name: config
          mountPath: /etc/hawser
          readOnly: true
        - name: tmp
          mountPath: /tmp
          subPath: proxy
  volumes:
    - name: runtime
      emptyDir:
        medium: Memory
        sizeLimit: 1Mi
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    - name: config
      configMap:
        name: {{ include "hawser.fullname" . }}-proxy
    - name: kube-api-access
      projected:
        sources:
          - serviceAccountToken:
              path: token
              expirationSeconds: 3607
          - configMap:
              name: kube-root-ca.crt
              items:
                - key: ca.crt
                  path: ca.crt
          - downwardAPI:
              items:
                - path: namespace
                  fieldRef:
                    fieldPath: metadata.namespace
{{- end -}}
