-- Run once by the postgres container on an empty volume: the warehouse database and its owner.
-- The Airflow metadata database (airflow) is created by the image from POSTGRES_DB.
CREATE USER communique WITH PASSWORD 'communique' CREATEROLE;
CREATE DATABASE communique OWNER communique;
