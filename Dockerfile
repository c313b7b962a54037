# One image per service:  docker build --target service --build-arg SERVICE=webhook .
# The operator UI:        docker build --target frontend .
# (docker-compose.yaml builds them all from this file.) Node 24 LTS, as the runtime issue settled.
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stages only: every workspace's dependencies, dev ones included (Vite, TypeScript).
FROM ${NODE_IMAGE} AS workspace
RUN npm install -g pnpm@10.34.8
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
# pnpm applies these to their packages while installing (patchedDependencies in pnpm-workspace.yaml).
COPY patches/ patches/
COPY packages/shared/package.json packages/shared/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/agent-sdk/package.json packages/agent-sdk/
COPY infra/package.json infra/
COPY e2e/package.json e2e/
COPY services/webhook/package.json services/webhook/
COPY services/router/package.json services/router/
COPY services/admin/package.json services/admin/
COPY services/notify/package.json services/notify/
COPY services/agent-backend/package.json services/agent-backend/
COPY services/wa-simulator/package.json services/wa-simulator/
COPY services/bot-agent/package.json services/bot-agent/
COPY services/media/package.json services/media/
COPY deploy/package.json deploy/
COPY apps/agent-frontend/package.json apps/agent-frontend/
RUN pnpm install --frozen-lockfile
COPY . .

# The service's folder with its production dependencies only, workspace packages copied in.
FROM workspace AS service-deploy
ARG SERVICE
RUN pnpm --filter "@wa-broker/${SERVICE}" deploy --prod --legacy /out

# A service: no pnpm, no dev dependencies, no other workspace. The TypeScript runs through tsx, a production
# dependency of every service, so the image runs exactly what the tests run (no build output to drift).
FROM ${NODE_IMAGE} AS service
ENV NODE_ENV=production
WORKDIR /app
COPY --from=service-deploy /out ./
# Files stay root's: the service cannot rewrite its own code.
USER node
# Every service answers /healthz on PORT (docker-compose.yaml sets PORT for each).
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "src/main.ts"]

# The operator UI: built by Vite, served by nginx, which proxies /ws and /api to the agent backend.
FROM workspace AS frontend-build
RUN pnpm --filter @wa-broker/agent-frontend build

# The unprivileged variant runs nginx as uid 101 on 8080.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS frontend
COPY apps/agent-frontend/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=frontend-build /app/apps/agent-frontend/dist /usr/share/nginx/html
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
