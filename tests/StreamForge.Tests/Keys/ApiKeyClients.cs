using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StreamForge.Tests.Keys;

/// <summary>Makes API keys through the real route and HTTP clients that call with them, as curl would (no cookies).</summary>
public static class ApiKeyClients
{
    public static async Task<JsonElement> CreateKeyAsync(this HttpClient session, string name, params string[] scopes)
    {
        var response = await session.PostAsJsonAsync("/api/v1/keys", new { name, scopes });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static HttpClient WithKey(this ApiFactory api, string key)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<HttpClient> KeyClientAsync(this ApiFactory api, HttpClient session, params string[] scopes) =>
        api.WithKey((await session.CreateKeyAsync("test key", scopes)).GetProperty("key").GetString()!);
}
