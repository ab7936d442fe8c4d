# syntax=docker/dockerfile:1
# Multi-stage build: compile with the full Rust toolchain, run on a slim Debian as a non-root user.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs rustfmt.toml ./
COPY src ./src
COPY migrations ./migrations
# Cargo.toml declares the extraction benchmark: its source must be there for the manifest to load.
COPY benches ./benches
RUN cargo build --release --locked --bin powerskills

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /var/lib/powerskills --create-home powerskills
COPY --from=build /src/target/release/powerskills /usr/local/bin/powerskills
USER powerskills
WORKDIR /var/lib/powerskills
ENV POWERSKILLS_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/powerskills/data/powerskills.db \
    POWERSKILLS_LOG_FORMAT=json
VOLUME ["/var/lib/powerskills/data"]
EXPOSE 8080
# The binary probes itself: the image needs no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["powerskills", "healthcheck", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["powerskills"]
CMD ["serve"]
