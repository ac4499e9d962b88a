# syntax=docker/dockerfile:1
# Better Uptime: multi-stage build, non-root runtime. The server applies pending
# migrations at start (deploy semantics, safe with several replicas), then serves.
#   docker build -t better-uptime .        (add --secret id=npmrc,src=… for a private registry)
#   docker run -p 3000:3000 -e DATABASE_URL=postgresql://… better-uptime
# Without DATABASE_URL it runs its embedded PostgreSQL with data in the /data volume.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# `prisma generate` (postinstall) runs the schema engine stand-in named in prisma.config.ts.
COPY core/connection.mjs ./core/
COPY core/ops/engine ./core/ops/engine
# The registry configuration (a mirror, a token, a proxy's certificate authority) arrives
# as build secrets: mounted for this step only, never stored in a layer. Both optional.
#   docker build --secret id=npmrc,src=$HOME/.npmrc -t better-uptime .
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=secret,id=npm_ca,target=/run/secrets/npm_ca \
    npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    CHECKPOINT_DISABLE=1
WORKDIR /app
COPY --from=build /app/package.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY --from=build /app/prisma ./prisma
# The migrations' engine for the Prisma CLI inside the image (prisma.config.ts names it).
COPY --from=build /app/core/connection.mjs ./core/
COPY --from=build /app/core/ops/engine ./core/ops/engine
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "build/server/main.js"]
