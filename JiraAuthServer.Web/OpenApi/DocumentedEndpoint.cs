namespace JiraAuthServer.Web.OpenApi;

/// <summary>
/// What the OpenAPI document says about an endpoint that is not a controller action (health checks, metrics), which
/// API Explorer cannot see: <see cref="EndpointsOutsideControllersFilter"/> reads it from the endpoint's metadata.
/// </summary>
/// <param name="Summary">The operation's summary.</param>
/// <param name="ContentType">The media type of its answers.</param>
/// <param name="BodyType">The type whose schema describes the body (<see cref="string"/> for plain text).</param>
/// <param name="StatusCodes">The statuses the endpoint itself answers; the server-wide ones are added by <see cref="ResponseConventions"/>.</param>
public sealed record DocumentedEndpoint(string Summary, string ContentType, Type BodyType, IReadOnlyList<int> StatusCodes);
