#!/bin/sh
# Runs once, after the influxdb:2 image has set up org, bucket and token (DOCKER_INFLUXDB_INIT_*):
# maps the InfluxQL database/retention policy "<bucket>/autogen" to the bucket, so Grafana's InfluxQL
# queries (and any InfluxDB 1.x client) work against InfluxDB 2. The token comes from its secret file
# (DOCKER_INFLUXDB_INIT_ADMIN_TOKEN_FILE) unless the image exported it as DOCKER_INFLUXDB_INIT_ADMIN_TOKEN.
set -eu
token="${DOCKER_INFLUXDB_INIT_ADMIN_TOKEN:-$(cat "$DOCKER_INFLUXDB_INIT_ADMIN_TOKEN_FILE")}"
bucket_id=$(influx bucket list --org "$DOCKER_INFLUXDB_INIT_ORG" --name "$DOCKER_INFLUXDB_INIT_BUCKET" \
  --token "$token" --hide-headers | cut -f1)
influx v1 dbrp create --org "$DOCKER_INFLUXDB_INIT_ORG" --token "$token" \
  --bucket-id "$bucket_id" --db "$DOCKER_INFLUXDB_INIT_BUCKET" --rp autogen --default
