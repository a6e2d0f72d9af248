# Build stage: install everything and type-check, so a broken tree never becomes an image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY solver ./solver
COPY src ./src
RUN npx tsc --noEmit

# Runtime stage: production dependencies only (tsx runs the TypeScript), as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/solver ./solver
COPY --from=build /app/src ./src
COPY tsconfig.json ./
USER node
EXPOSE 3000
# API and worker together; with REDIS_URL set, run more containers with CMD ["npm", "run", "worker"].
CMD ["npm", "start"]
