# syntax=docker/dockerfile:1
# One image, two entry points (the chart runs both containers from it):
#   node /app/bin/hawser-proxy.js -f /etc/hawser/hawser.cfg    the proxy (default command)
#   node /app/bin/hawser-controller.js [flags]                  the controller
# Node strips TypeScript types itself, so the image runs the very sources the tests run: no build
# output, no bundler. The build stage only checks them (lint and type check) with dev dependencies.
# Keep NODE_MAJOR equal to the major of package.json "engines" (charts/image.test.ts checks it).
ARG NODE_MAJOR=26

FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run lint
# What the run stage ships: the entry points and the sources they import, without tests.
RUN mkdir -p /out/proxy-core /out/controller \
 && cp -R bin /out/bin \
 && cp -R proxy-core/src /out/proxy-core/src \
 && cp -R controller/src /out/controller/src \
 && find /out -name '*.test.ts' -delete

FROM node:${NODE_MAJOR}-bookworm-slim AS run
ARG NODE_MAJOR
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="hawser" \
      org.opencontainers.image.description="Kubernetes ingress controller with its own reload-free proxy core" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="node:${NODE_MAJOR}-bookworm-slim"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; none of them needs an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# The sources the build stage checked.
COPY --from=build /out/ ./
# The node image's unprivileged user would do, but the chart pins uid/gid 10001 (both containers
# share the mode-600 runtime socket), so the image runs as that same numeric user.
USER 10001:10001
EXPOSE 8080 8443 8404 10254
ENTRYPOINT ["node"]
CMD ["/app/bin/hawser-proxy.js", "-f", "/etc/hawser/hawser.cfg"]
