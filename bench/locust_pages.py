"""One anonymous page read again and again, for locust: BENCH_PAGE is its path (a page of the site,
or its copy served as a static file by the same server), BENCH_PAGE_NAME its name in the stats."""

import os
from urllib.parse import urlsplit

from locust import FastHttpUser, constant, task


class Reader(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.client.cookiejar = None  # every request is a first visit: no session, no cookie
        netloc = urlsplit(self.host or "").netloc
        self.headers = {"X-Forwarded-Proto": "https", "Origin": f"https://{netloc}", "Accept-Encoding": "identity"}

    @task
    def read(self) -> None:
        with self.client.get(
            os.environ["BENCH_PAGE"], headers=self.headers, name=os.environ["BENCH_PAGE_NAME"], catch_response=True
        ) as response:
            if response.status_code == 200 and response.content:
                response.success()
            else:
                response.failure(f"status {response.status_code}")
