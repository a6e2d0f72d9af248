# Build stage: install everything, type-check and compile to dist/, so a broken tree never becomes an image.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY solver ./solver
COPY src ./src
RUN npx tsc --noEmit && npm run build

# Runtime stage: production dependencies and the compiled JavaScript only, as an unprivileged user.
FROM node:24-bookworm-slim
# A container is reached from outside, so it listens on every address, and therefore needs API keys:
# without ADMIN_KEY (or ADMIN_KEY_FILE, e.g. a mounted secret) it refuses to start and says how to set
# one up (README: Access). `docker run -e ADMIN_KEY=$(openssl rand -base64 32) ...`
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (no npm in between), so SIGTERM reaches the service, which stops within
# SHUTDOWN_GRACE_MS: give `docker stop` or Kubernetes at least that long (docker's default is 10 s).
# API and worker together; with REDIS_URL set, run more containers with
# CMD ["node", "dist/src/worker-main.js"].
CMD ["node", "dist/src/main.js"]
