namespace ServerBench;

internal sealed record SizeResult(
    int Users,
    string Store,
    string Logging,
    long FileBytes,
    long CiphertextBytes,
    TimeSpan StartUp,
    string LoadLine,
    Wrk Token,
    Wrk Status,
    Wrk Bare,
    Wrk BareMvc,
    long RssIdleBytes,
    long RssBytes,
    long AnonymousRssBytes,
    long PeakRssBytes,
    long BareRssBytes,
    long BareMvcRssBytes,
    int TokenBodyBytes,
    (int Granted, TimeSpan Elapsed)? Burst);
