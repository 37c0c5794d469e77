using System.Globalization;
using BareEndpoint;

// Kestrel answering every GET with the same JSON body of BODY_BYTES bytes: from a minimal endpoint with nothing in
// front (the default, the floor of the machine), or with BARE_MODE=mvc from an MVC controller action (the floor of a
// server built on MVC controllers, as the design card fixes).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var body = new FixedBody(int.Parse(builder.Configuration["BODY_BYTES"] ?? "1800", CultureInfo.InvariantCulture));
var mode = builder.Configuration["BARE_MODE"] ?? "minimal";
if (mode == "mvc")
{
    builder.Services.AddSingleton(body);
    builder.Services.AddControllers();
}
else if (mode != "minimal")
{
    throw new ArgumentException($"BARE_MODE is minimal (the default) or mvc, not '{mode}'");
}

var app = builder.Build();
if (mode == "mvc")
{
    app.MapControllers();
}
else
{
    app.MapGet("/{**path}", (HttpContext context) => body.WriteToAsync(context.Response));
}

app.Run();
