# One image for every service; the command picks which one runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY agents ./agents
COPY specialists ./specialists
COPY orchestrator ./orchestrator
RUN pip install . && useradd --create-home --uid 10001 app
USER app

ENV SPECIALIST_HOST=0.0.0.0 API_HOST=0.0.0.0
EXPOSE 8000 8101 8102 8103 8104 8105 8201 8202 8203 8204 8205
ENTRYPOINT ["ecommerce-agents"]
CMD ["orchestrator"]
