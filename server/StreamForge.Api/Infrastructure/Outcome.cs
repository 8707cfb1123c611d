namespace StreamForge.Api.Infrastructure;

/// <summary>What a read or edit use case produced, or why it refused; services return it, the *Api route tables map it to HTTP.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}
