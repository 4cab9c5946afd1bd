"""gunicorn settings shipped with the project. gunicorn reads ./gunicorn.conf.py from the folder
it is started in (the README's production example and `make serve` start in the project folder);
with your own `-c FILE`, copy `when_ready` into it.

One start-up check: without REDIS_URL the rate limits live in each process's memory, so with
several workers every client gets its budget once per worker. The check runs in the master once,
after the worker count is known however it was given (-w, WEB_CONCURRENCY, GUNICORN_CMD_ARGS, a
config file), and resolves REDIS_URL the way the app does (environment, instance/config.toml).
"""


def when_ready(server):
    from lms.config import per_process_limits_warning

    warning = per_process_limits_warning(server.cfg.workers)
    if warning:
        server.log.warning(warning)
