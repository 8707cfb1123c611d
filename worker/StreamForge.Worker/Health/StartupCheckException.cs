namespace StreamForge.Worker.Health;

/// <summary>A start-up check that failed: the message says what is wrong and what to set.</summary>
public sealed class StartupCheckException(string message) : Exception(message);
