# Recontact: the worker, the HTTP API and the CLI in one image (docs/deployment.md).
#   docker build -t recontact:0.1.0 .
#   docker run --rm recontact:0.1.0 --help
# The build stage compiles TypeScript; the final stage holds the built JavaScript, the desk's
# static files and production dependencies only, and runs as the unprivileged `node` user.
ARG NODE_IMAGE=node:20.19.5-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATA_DIR=/var/lib/recontact
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/api/desk/static ./api/desk/static
COPY --from=build /app/config/contact-policy.default.json ./config/contact-policy.default.json
RUN mkdir -p /var/lib/recontact && chown node:node /var/lib/recontact
USER node
VOLUME ["/var/lib/recontact"]
EXPOSE 3000
# --max-semi-space-size=2: runtime/node-flags.ts says why.
ENTRYPOINT ["node", "--max-semi-space-size=2", "dist/cli/main.js"]
CMD ["worker"]
