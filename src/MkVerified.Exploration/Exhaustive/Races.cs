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
    /// <param name="executed">How many of <paramref name="steps"/> ran in order; any after them are the next steps of sleeping cores.</param>
    /// <param name="finished">The execution ran to its end (not stopped), so every noted write stamp's wait is known.</param>
    /// <param name="from">Races whose later step comes before this one were found in an earlier execution with the same prefix; skip them.</param>
    public static void Find(IReadOnlyList<Footprint> steps, int executed, bool finished, int from, Action<int, int, ulong> race)
    {
        var found = new List<(int I, int J)>();
        var hb = HappensBefore(steps, StampLines(steps, executed, finished), (i, j) => { if (j >= from) found.Add((i, j)); }, out var words);
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

    /// <summary>
    /// What each noted write stamp orders: core code uses a stamp only as the <c>since</c> of the core's next wait, whose
    /// answer depends on whether the lines of that wait were written after the stamp. So a step that notes a stamp
    /// reads those lines (the wait lines the core checks before its next stamp). A stamp whose wait is unknown (the
    /// execution stopped first) depends on every write (null).
    /// </summary>
    private static List<int>?[] StampLines(IReadOnlyList<Footprint> steps, int executed, bool finished)
    {
        var lines = new List<int>?[steps.Count];
        for (var r = 0; r < steps.Count; r++)
        {
            if (!steps[r].ReadsStamp) continue;
            if (r >= executed)
            {
                lines[r] = null;
                continue;
            }
            var core = steps[r].Cores;
            var waits = new List<int>();
            var closed = false;
            for (var k = r + 1; k < executed && !closed; k++)
            {
                if (steps[k].Cores != core) continue;
                foreach (var l in steps[k].WaitLines) if (!waits.Contains(l)) waits.Add(l);
                closed = steps[k].ReadsStamp;
            }
            lines[r] = closed || finished ? waits : null;
        }
        return lines;
    }

    private static ulong[] HappensBefore(IReadOnlyList<Footprint> steps, List<int>?[] stampLines, Action<int, int> race, out int wordsPerStep)
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
            var stamp = f.ReadsStamp ? stampLines[j] : null;
            var stampAll = f.ReadsStamp && stamp is null;
            foreach (var r in f.Reads) Add(lastWrite.GetValueOrDefault(r, -1));
            if (stamp is not null) foreach (var r in stamp) Add(lastWrite.GetValueOrDefault(r, -1));
            foreach (var w in f.Writes)
            {
                Add(lastWrite.GetValueOrDefault(w, -1));
                if (readsSince.TryGetValue(w, out var rs)) foreach (var i in rs) Add(i);
            }
            if (stampAll) foreach (var i in writeSteps) Add(i);
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

            foreach (var r in stamp is null ? f.Reads : f.Reads.Concat(stamp))
                if (!f.Writes.Contains(r))
                {
                    if (!readsSince.TryGetValue(r, out var rs)) readsSince[r] = rs = [];
                    if (rs.Count == 0 || rs[^1] != j) rs.Add(j);
                }
            foreach (var w in f.Writes)
            {
                lastWrite[w] = j;
                if (readsSince.TryGetValue(w, out var rs)) rs.Clear();
            }
            for (var bits = f.Cores; bits != 0; bits &= bits - 1) lastOfCore[BitOperations.TrailingZeroCount(bits)] = j;
            if (f.Writes.Count > 0) writeSteps.Add(j);
            if (stampAll) stampReads.Add(j);
        }
        return hb;
    }

    private static bool SameSingleCore(ulong a, ulong b) => a == b && BitOperations.PopCount(a) == 1;
}
