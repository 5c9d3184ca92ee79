using MkVerified.Kernel.Caps;

namespace MkVerified.Tests.Kernel;

/// <summary>Relation sets hold any core id: one inline word for cores 0..63, further words beyond.</summary>
public class CoreSetTests
{
    [Fact]
    public void A_set_holds_cores_beyond_63_as_it_holds_low_ones()
    {
        var set = CoreSet.Of(3).With(200).With(64).With(1023);
        Assert.Equal([3, 64, 200, 1023], set.Cores());
        Assert.Equal(4, set.Count);
        Assert.True(set.Contains(200) && set.Contains(1023) && !set.Contains(199) && !set.Contains(5000));
        Assert.Equal(16, set.WordCount);
        Assert.Equal(1UL << (200 % 64), set.Word(3));
        Assert.Equal("[3,64,200,1023]", set.ToString());
    }

    [Fact]
    public void Removing_the_high_cores_gives_back_the_one_word_set()
    {
        var low = CoreSet.Of(3).With(63);
        var set = low.With(200).With(130).Without(200).Without(130);
        Assert.Equal(low, set);
        Assert.Equal(low.GetHashCode(), set.GetHashCode());
        Assert.Equal(1, set.WordCount);
        Assert.True(CoreSet.Of(200).Without(200).IsEmpty);
        Assert.Equal(CoreSet.Of(70), CoreSet.Of(70).Without(71).Without(5));
    }

    [Fact]
    public void Union_and_the_word_form_round_trip()
    {
        var a = CoreSet.Of(1).With(100);
        var b = CoreSet.Of(2).With(255);
        var union = a.Union(b);
        Assert.Equal([1, 2, 100, 255], union.Cores());
        Assert.Equal(union, b.Union(a));
        Assert.Equal(union, CoreSet.FromWords(Enumerable.Range(0, union.WordCount).Select(union.Word).ToList()));
        Assert.Equal(CoreSet.Of(7), CoreSet.FromWords([1UL << 7, 0, 0]));
        Assert.Equal(union, union.Union(CoreSet.Empty));
    }

    [Fact]
    public void A_negative_core_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreSet.Of(-1));
        Assert.False(CoreSet.Of(0).Contains(-1));
    }
}
