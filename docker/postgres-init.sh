#!/bin/bash
# Run once by the postgres container on an empty volume: the warehouse database and its owner.
# The password comes from COMMUNIQUE_DB_PASSWORD (docker-compose.yaml passes it from .env); the
# Airflow metadata database (airflow) is created by the image from POSTGRES_DB.
set -euo pipefail
: "${COMMUNIQUE_DB_PASSWORD:?COMMUNIQUE_DB_PASSWORD is not set: run make compose-env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v password="$COMMUNIQUE_DB_PASSWORD" <<'SQL'
CREATE USER communique WITH PASSWORD :'password' CREATEROLE;
CREATE DATABASE communique OWNER communique;
SQL
