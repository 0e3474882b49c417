"""The FastAPI application: routers, errors, middleware, live feeds."""
