using JiraAuthServer.Core.Tokens;
using Yarp.ReverseProxy.Forwarder;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// How a Jira call ended: Jira's answer passed on (<see cref="Error"/> None, nothing left to write), Jira not reached
/// (<see cref="Error"/> says why), or a refresh after Jira's 401 that did not give a token (<see cref="Renewal"/>).
/// </summary>
public sealed record JiraForwardResult(ForwarderError Error, bool Retried, TokenLookup? Renewal = null);
