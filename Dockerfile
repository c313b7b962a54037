# One image per service: docker build --build-arg SERVICE=webhook .
# (docker-compose.yaml builds every service from this file.)
FROM node:20-bookworm-slim AS deps
RUN npm install -g pnpm@10.34.8
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
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
COPY apps/agent-frontend/package.json apps/agent-frontend/
RUN pnpm install --frozen-lockfile

FROM deps AS source
COPY . .

# Node services run their TypeScript with tsx (no separate build step to drift from the tests).
FROM source AS service
ARG SERVICE
ENV SERVICE_DIR=services/${SERVICE} NODE_ENV=production
WORKDIR /app/services/${SERVICE}
USER node
CMD ["pnpm", "start"]

# The operator UI: built by Vite, served as static files.
FROM source AS frontend-build
RUN pnpm --filter @wa-broker/agent-frontend build

FROM nginx:1.27-alpine AS frontend
COPY --from=frontend-build /app/apps/agent-frontend/dist /usr/share/nginx/html
