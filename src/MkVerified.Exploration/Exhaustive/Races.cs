using System.Numerics;

namespace MkVerified.Exploration.Exhaustive;

/// <summary>
/// The races of one execution, for dynamic partial-order reduction (Flanagan and Godefroid 2005, analysing the
/// finished execution): step j races with an earlier step i when they are dependent (see
/// <see cref="Footprint.Independent"/>), are not two steps of one and the same core, and i does not already happen
/// before j through some other step. Reversing a race needs one of j's cores to run at i's decision. (A step may run
/// several cores: the chosen one, then any core that ran alone until the next decision.)
/// </summary>
public static class Races
{
    /// <summary>
    /// Calls <paramref name="race"/>(i, j, initials) for every race, where initials is the mask of cores that can
    /// begin the reversed order (source sets, Abdulla et al. 2014): the steps after i that do not depend on i, then j;
    /// a core is initial when its first such step depends on none of the others.
    /// </summary>
    public static void Find(IReadOnlyList<Footprint> steps, Action<int, int, ulong> race)
    {
        var found = new List<(int I, int J)>();
        var hb = HappensBefore(steps, (i, j) => found.Add((i, j)), out var words);
        var v = new ulong[words];
        foreach (var (i, j) in found)
        {
            Array.Clear(v);
            for (var k = i + 1; k <= j; k++)
                if (k == j || !Has(hb, words, k, i)) v[k >> 6] |= 1UL << (k & 63);
            ulong initials = 0;
            for (var k = i + 1; k <= j; k++)
            {
                if ((v[k >> 6] & (1UL << (k & 63))) == 0) continue;
                var alone = true;
                for (var w = 0; w < words && alone; w++)
                {
                    var past = hb[k * words + w] & v[w];
                    if (w == k >> 6) past &= ~(1UL << (k & 63));
                    if (past != 0) alone = false;
                }
                if (alone) initials |= steps[k].Cores;
            }
            race(i, j, initials);
        }
    }

    private static bool Has(ulong[] hb, int words, int k, int i) => (hb[k * words + (i >> 6)] & (1UL << (i & 63))) != 0;

    private static ulong[] HappensBefore(IReadOnlyList<Footprint> steps, Action<int, int> race, out int wordsPerStep)
    {
        var n = steps.Count;
        var words = (n + 63) / 64;
        wordsPerStep = words;
        var hb = new ulong[n * words]; // hb[j]: the steps that happen before j (and j)
        var lastWrite = new Dictionary<int, int>();
        var readsSince = new Dictionary<int, List<int>>();
        var lastOfCore = new int[64];
        Array.Fill(lastOfCore, -1);
        var writeSteps = new List<int>();
        var stampReads = new List<int>();
        var isPred = new bool[n];
        var preds = new List<int>();
        var union = new ulong[words];

        for (var j = 0; j < n; j++)
        {
            var f = steps[j];
            preds.Clear();
            void Add(int i)
            {
                if (i < 0 || isPred[i]) return;
                isPred[i] = true;
                preds.Add(i);
            }
            foreach (var r in f.Reads) Add(lastWrite.GetValueOrDefault(r, -1));
            foreach (var w in f.Writes)
            {
                Add(lastWrite.GetValueOrDefault(w, -1));
                if (readsSince.TryGetValue(w, out var rs)) foreach (var i in rs) Add(i);
            }
            if (f.ReadsStamp) foreach (var i in writeSteps) Add(i);
            if (f.Writes.Count > 0) foreach (var i in stampReads) Add(i);
            for (var bits = f.Cores; bits != 0; bits &= bits - 1) Add(lastOfCore[BitOperations.TrailingZeroCount(bits)]);

            // Latest first: a predecessor races with j unless a later predecessor already has it in its past.
            preds.Sort();
            Array.Clear(union);
            for (var k = preds.Count - 1; k >= 0; k--)
            {
                var i = preds[k];
                isPred[i] = false;
                var inPast = (union[i >> 6] & (1UL << (i & 63))) != 0;
                if (!inPast && !SameSingleCore(steps[i].Cores, f.Cores)) race(i, j);
                for (var w = 0; w < words; w++) union[w] |= hb[i * words + w];
            }
            union[j >> 6] |= 1UL << (j & 63);
            Array.Copy(union, 0, hb, j * words, words);

            foreach (var r in f.Reads)
                if (!f.Writes.Contains(r))
                {
                    if (!readsSince.TryGetValue(r, out var rs)) readsSince[r] = rs = [];
                    rs.Add(j);
                }
            foreach (var w in f.Writes)
            {
                lastWrite[w] = j;
                if (readsSince.TryGetValue(w, out var rs)) rs.Clear();
            }
            for (var bits = f.Cores; bits != 0; bits &= bits - 1) lastOfCore[BitOperations.TrailingZeroCount(bits)] = j;
            if (f.Writes.Count > 0) writeSteps.Add(j);
            if (f.ReadsStamp) stampReads.Add(j);
        }
        return hb;
    }

    private static bool SameSingleCore(ulong a, ulong b) => a == b && BitOperations.PopCount(a) == 1;
}
