"""Summarizes `perf script -F comm,tid,ip,sym` output of the server into microseconds of CPU per request.

Each part is inclusive (a sample counts for a part when the part's frame is anywhere on its stack), so the parts of
one request nest: the pipeline holds the endpoint, the endpoint holds the action. Usage:
    profile-summary.py PERF_TEXT CPU_US_PER_REQUEST USERS PATH LOG_LEVEL
"""
import sys

PARTS = [
    ("Kestrel: a request, parsing to response (all below)", "HttpProtocol+<ProcessRequests>"),
    ("  middleware pipeline from the request line's logger in", "RequestOutcomeLogging+<InvokeAsync>"),
    ("    routing, from the matcher in", "EndpointRoutingMiddleware::Invoke"),
    # Before 2026-12-02 the HTTP metrics were prometheus-net's middlewares inside MethodLabel's wrapper.
    ("      HTTP metrics, from their middleware in", ("HttpRequestMetrics+<InvokeAsync>", "MethodLabel+<>c+<<Around>b__3_0>")),
    ("        API key (lockout and check), from its middleware in", "ApiKeyMiddleware::InvokeAsync"),
    ("          the constant-time key compare", "ApiKeyCheck::Matches"),
    ("          MVC: filters, binding, action and result", "ResourceInvoker::InvokeAsync"),
    ("            model binding", "CreateBinderDelegate>g__Bind"),
    ("            the action (lookup, decryption)", "TokenController+<"),
    ("              Fernet decryption", "FernetToken::TryOpenWith"),
    ("            writing the JSON answer", "FastJsonResult::ExecuteResultAsync"),
    ("  the request line, handed to NLog", "RequestOutcomeLogging::Log"),
    ("NLog's writer (rendering and writing the lines)", "AsyncTargetWrapper::ProcessPendingEvents"),
    ("socket event loop (epoll)", "SocketAsyncEngine::EventLoop"),
]


def samples(path):
    stack, comm = [], None
    with open(path, errors="replace") as text:
        for line in text:
            if not line.strip():
                if stack:
                    yield comm, stack
                stack = []
            elif line.startswith(("\t", " ")):
                parts = line.strip().split(" ", 1)
                stack.append(parts[1] if len(parts) > 1 else parts[0])
            else:
                comm = line.strip()
    if stack:
        yield comm, stack


def main():
    path, cpu, users, route, level = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    counts = [0] * len(PARTS)
    kernel_only = total = 0
    for _, stack in samples(path):
        total += 1
        for index, (_, frames) in enumerate(PARTS):
            frames = (frames,) if isinstance(frames, str) else frames
            if any(frame in symbol for symbol in stack for frame in frames):
                counts[index] += 1
        if all("[" not in symbol for symbol in stack):
            kernel_only += 1
    if total == 0:
        sys.exit("perf recorded no samples")
    print(f"{route} at {users} users, LOG_LEVEL={level}: {cpu:.1f} µs of server CPU per request ({total} samples)")
    for (name, _), count in zip(PARTS, counts):
        print(f"{count * cpu / total:7.1f} µs  {name}")
    print(f"{kernel_only * cpu / total:7.1f} µs  kernel only (scheduling, loopback networking), no managed frame")


if __name__ == "__main__":
    main()
