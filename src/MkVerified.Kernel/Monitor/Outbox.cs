using MkVerified.Urpc;

namespace MkVerified.Kernel.Monitor;

/// <summary>
/// Messages a protocol handler wants sent. Handlers are synchronous (state machines fire synchronously); the monitor
/// sends the outbox afterwards, in order, so all waiting for credit happens in one place.
/// </summary>
public sealed class Outbox
{
    private readonly List<(int Peer, UrpcMessage Message)> _messages = [];

    public int Count => _messages.Count;

    public void Send(int peer, UrpcMessage message) => _messages.Add((peer, message));

    internal (int Peer, UrpcMessage Message) this[int i] => _messages[i];

    internal void Clear() => _messages.Clear();
}
