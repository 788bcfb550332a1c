# sbm-crm: the platform's one binary. Build: docker build -t sbm-crm .
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p sbm-crm && cp target/release/sbm-crm /sbm-crm

# Distroless with glibc, no shell, user 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /sbm-crm /usr/local/bin/sbm-crm
USER 65532:65532
EXPOSE 8080
ENV SBM_LISTEN=0.0.0.0:8080 SBM_DATA_DIR=/tmp/sbm SBM_LOG_FORMAT=json
ENTRYPOINT ["/usr/local/bin/sbm-crm"]
CMD ["serve"]
