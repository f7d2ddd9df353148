# voc-stream service image: `voc serve` (ingest API, NLP consumer group, store) on Node 20.
#
#   docker build -t voc-stream .
#   docker run --rm -p 8080:8080 -e VOC_PSEUDONYM_KEY=... -e VOC_INGEST_TOKEN_SURVEY=... voc-stream
#
# Secrets come from the environment or mounted files (VOC_*_FILE), never from the image. See
# docs/operations.md. The embedded default (memory bus + chDB in /data) needs no other container;
# set VOC_KAFKA_BROKERS / VOC_CLICKHOUSE_URL to use a broker and a server.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Scripts are skipped: `prepare` would compile before the sources are here (done below), and the
# optional model runtime's download is not needed to serve.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# Read at run time: the code frame and lexicons, and the SQL model's migrations and views.
COPY config ./config
COPY schemas ./schemas
RUN mkdir -p /data && chown node:node /data
USER node
ENV VOC_STORE_DIR=/data \
    VOC_LOG_LEVEL=info
VOLUME ["/data"]
EXPOSE 8080
# /healthz says the process is alive; orchestrators should route traffic on /readyz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (stop accepting, finish requests and the batch in flight, commit, flush, exit 0);
# give the container a stop timeout longer than service.drainDeadlineSeconds (default 30 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/voc.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
