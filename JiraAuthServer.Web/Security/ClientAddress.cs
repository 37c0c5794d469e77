using System.Net;
using System.Net.Sockets;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// The client's address as the limits and the audit lines see it: after <c>FORWARDED_HEADERS</c> processing, IPv4
/// addresses mapped into IPv6 shown as IPv4.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Normalize(context.Connection.RemoteIpAddress)?.ToString() ?? Unknown;
    }

    /// <summary>
    /// What one client is counted as: its IPv4 address, or its IPv6 /64 network, since one subscriber usually holds
    /// a whole /64 and could otherwise change address for every attempt.
    /// </summary>
    public static string PartitionOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = Normalize(context.Connection.RemoteIpAddress);
        if (address is null)
        {
            return Unknown;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
