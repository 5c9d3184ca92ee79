namespace MkVerified.Urpc;

/// <summary>One URPC message: a type and the 7 payload words that fit a 64-byte slot beside its header word.</summary>
public readonly record struct UrpcMessage(int Type, long W0, long W1, long W2, long W3, long W4, long W5, long W6)
{
    public const int PayloadWords = 7;

    public long this[int i] => i switch
    {
        0 => W0, 1 => W1, 2 => W2, 3 => W3, 4 => W4, 5 => W5, 6 => W6,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    public static UrpcMessage Of(int type, ReadOnlySpan<long> words)
    {
        Span<long> w = stackalloc long[PayloadWords];
        words[..Math.Min(words.Length, PayloadWords)].CopyTo(w);
        return new UrpcMessage(type, w[0], w[1], w[2], w[3], w[4], w[5], w[6]);
    }

    public override string ToString() => $"type {Type} [{W0}, {W1}, {W2}, {W3}, {W4}, {W5}, {W6}]";
}
