# Optimizer Lab for a class: Streamlit replicas of the app behind HAProxy, one image.
#   docker build -t optimizer-lab .
#   docker run -p 8501:8501 optimizer-lab                   # replicas as CPUs, one proxy
#   docker run -p 8501:8501 optimizer-lab python -m deploy.replicas --address 0.0.0.0 --replicas 4
#   docker run -p 8501:8501 optimizer-lab streamlit run app.py --server.address 0.0.0.0
# The last one is a single replica, for a proxy on another machine (see the README).
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends haproxy \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# Nothing here needs root: the port is above 1024.
RUN useradd --create-home lab
USER lab

EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=5)"
CMD ["python", "-m", "deploy.replicas", "--address", "0.0.0.0", "--port", "8501"]
