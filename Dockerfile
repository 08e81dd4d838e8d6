# syntax=docker/dockerfile:1
# tierdesk: a multi-stage image. The build stage compiles and packs exactly what npm would publish;
# the runtime stage installs that package's production dependencies and runs it as a non-root user.
# (test/e2e/package.test.ts reproduces these steps, since the test machines have no container engine.)

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# prepack builds dist/; the tarball holds dist/, bin/, README.md and tierdesk.example.yaml.
RUN npm pack --pack-destination /tmp \
 && mkdir /app \
 && tar -xzf /tmp/tierdesk-*.tgz -C /app --strip-components=1 \
 && cp package-lock.json /app/

FROM node:20-bookworm-slim
# tini is PID 1: it forwards SIGTERM to node (so the graceful shutdown runs) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_URL=/data/tierdesk.db \
    TIERDESK_OPS_PORT=9090 \
    PORT=3000
WORKDIR /app
COPY --from=build /app ./
# better-sqlite3 fetches its prebuilt binary for linux x64/arm64; another platform needs python3, make
# and g++ in this stage to compile it.
RUN npm ci --omit=dev \
 && npm cache clean --force \
 && mkdir /data \
 && chown node:node /data
USER node
VOLUME /data
# 3000: Slack's HTTP mode (/slack/events); 9090: /healthz and /metrics.
EXPOSE 3000 9090
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.TIERDESK_OPS_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/tierdesk.js"]
CMD ["start"]
