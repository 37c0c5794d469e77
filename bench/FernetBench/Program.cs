using System.Globalization;
using FernetBench;
using JiraAuthServer.Infrastructure.Crypto;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var cipher = FernetTokenCipher.FromEncryptionKey($"{FernetKey.Generate().Encode()},{FernetKey.Generate().Encode()}");
string plaintext = string.Concat(Enumerable.Repeat("eyJhbGciOiJSUzI1NiJ9.", 64))[..1024];
string token = cipher.Encrypt(plaintext);
string oldKeyToken = FernetTokenCipher.FromEncryptionKey(cipher.Keys.Keys[1].Encode()).Encrypt(plaintext);

Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} CPUs, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
Console.WriteLine($"plaintext {plaintext.Length} chars, token {token.Length} chars");
Console.WriteLine();
Console.WriteLine($"{"operation",-36} {"ns/op",10} {"us/op",8} {"bytes/op",10}");

Report("encrypt 1 KB", () => cipher.Encrypt(plaintext));
Report("decrypt 1 KB (primary key)", () => cipher.Decrypt(token));
Report("decrypt 1 KB (second key of ring)", () => cipher.Decrypt(oldKeyToken));
Report("baseline: copy of the token string", () => new string(token.AsSpan()));
Report("baseline: copy of the plaintext", () => new string(plaintext.AsSpan()));

static void Report(string name, Func<string> call)
{
    (double nanoseconds, double bytes) = Measurement.Run(call);
    Console.WriteLine($"{name,-36} {nanoseconds,10:F0} {nanoseconds / 1000,8:F2} {bytes,10:F0}");
}
