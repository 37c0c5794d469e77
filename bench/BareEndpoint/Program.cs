using System.Globalization;
using System.Text;

// Kestrel with nothing in front: every GET answers the same JSON body of BODY_BYTES bytes.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var size = int.Parse(builder.Configuration["BODY_BYTES"] ?? "1800", CultureInfo.InvariantCulture);
var prefix = "{\"access_token\": \"";
var body = Encoding.ASCII.GetBytes(prefix + new string('x', Math.Max(0, size - prefix.Length - 2)) + "\"}");
var app = builder.Build();
app.MapGet("/{**path}", (HttpContext context) =>
{
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.Run();
