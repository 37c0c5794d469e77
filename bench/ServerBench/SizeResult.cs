namespace ServerBench;

internal sealed record SizeResult(
    int Users,
    string Store,
    long FileBytes,
    TimeSpan StartUp,
    string LoadLine,
    Wrk Token,
    Wrk Status,
    Wrk Bare,
    long RssIdleBytes,
    long RssBytes,
    long AnonymousRssBytes,
    long PeakRssBytes,
    long BareRssBytes,
    int TokenBodyBytes,
    (int Granted, TimeSpan Elapsed)? Burst);
