using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Integration.Tests.Api;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Audit;
using Monitor.Web.Data;

namespace Monitor.Integration.Tests.Admin;

/// <summary>The real app with a clock the test moves: for expiry and for how often a key's last use is written.</summary>
public sealed class FakeClockAppFactory : MonitorAppFactory
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

public sealed record IssuedKey(Guid Id, string Name, string Role, string Secret, string Prefix);

public static class AdminTestSupport
{
    /// <summary>A person acting in the app, as a sign-in would present them.</summary>
    public static ClaimsPrincipal Person(string email, string? userId = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, email), new(ClaimTypes.Email, email) };
        if (userId is not null) claims.Add(new Claim(ClaimTypes.NameIdentifier, userId));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Identity.Application"));
    }

    public static string UniqueEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    public static string UniqueName(string what) => $"{what} {Guid.NewGuid():N}";

    public static async Task<IssuedKey> IssueKeyAsync(this HttpClient admin, string name, string role, DateTimeOffset? expiresAt = null)
    {
        using var response = await admin.PostAsJsonAsync("/api/keys", new { name, role, expiresAt }, MonitorApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        var created = JsonNode.Parse(body)!;
        var key = created["key"]!;
        return new IssuedKey(key["id"]!.GetValue<Guid>(), key["name"]!.GetValue<string>(), key["role"]!.GetValue<string>(),
            created["secret"]!.GetValue<string>(), key["prefix"]!.GetValue<string>());
    }

    public static async Task<IReadOnlyList<AuditRow>> AuditRowsAsync(this MonitorAppFactory app, string action)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    public static async Task<AuditRow> SingleAuditAsync(this MonitorAppFactory app, string action, string target) =>
        Assert.Single(await app.AuditRowsAsync(action), a => a.Target == target);
}
