# One image for every process (api, worker, projector, qbo-sandbox); the command picks which.
# Not built or run on this project's own machines (they have no container engine): see docs/operations.md.
FROM node:20-slim
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH NODE_ENV=production TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @qbo-sync/admin-web build
USER node
ENV API_HOST=0.0.0.0
EXPOSE 3000
CMD ["pnpm", "--filter", "@qbo-sync/api", "start"]
