using Mono.Cecil;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// Which of the library's folders (the second part of a namespace: <c>Syndication.Feeds</c> is Feeds) use which, read
/// from the built assembly with Mono.Cecil: every type a type names in its base, interfaces, fields, properties, method
/// signatures, attributes and method bodies (lambdas and async state machines count for the type that holds them).
/// </summary>
sealed class FolderGraph
{
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; init; }

    /// <summary>For each edge, one type that makes it, to say what to move: "Config → Telegram: ConfigParser uses MessageTemplate".</summary>
    public required IReadOnlyDictionary<(string From, string To), string> Why { get; init; }

    public int EdgeCount => Edges.Values.Sum(e => e.Count);

    public IEnumerable<(string A, string B)> MutualPairs =>
        Edges.SelectMany(e => e.Value.Where(to => string.CompareOrdinal(e.Key, to) < 0 && Edges.GetValueOrDefault(to)?.Contains(e.Key) == true).Select(to => (e.Key, to)));

    /// <summary>Groups of folders that reach each other (strongly connected, more than one folder): each is a cycle.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var result = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            indices[v] = low[v] = index++;
            stack.Push(v);
            foreach (var w in Edges.GetValueOrDefault(v) ?? new HashSet<string>())
            {
                if (!indices.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], indices[w]);
            }
            if (low[v] != indices[v]) return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); group.Add(x); } while (x != v);
            if (group.Count > 1) result.Add([.. group.Order()]);
        }
        foreach (var v in Edges.Keys.Order()) if (!indices.ContainsKey(v)) Visit(v);
        return result;
    }

    public static FolderGraph Of(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new Dictionary<string, HashSet<string>>();
        var why = new Dictionary<(string, string), string>();
        string? Folder(TypeReference? type)
        {
            while (type is { DeclaringType: { } outer }) type = outer;
            if (type is null || !type.Namespace.StartsWith(root + ".", StringComparison.Ordinal)) return null;
            return type.Namespace[(root.Length + 1)..].Split('.')[0];
        }
        foreach (var type in module.GetTypes())
        {
            if (Folder(type) is not { } from) continue;
            edges.TryAdd(from, []);
            var top = type;
            while (top.DeclaringType is { } outer) top = outer;
            void Use(TypeReference? used)
            {
                if (used is null) return;
                if (used is GenericInstanceType generic) foreach (var argument in generic.GenericArguments) Use(argument);
                if (used is TypeSpecification spec) { Use(spec.ElementType); return; }
                if (Folder(used) is { } to && to != from && edges[from].Add(to)) why[(from, to)] = $"{top.Name} uses {used.Name}";
            }
            Use(type.BaseType);
            foreach (var i in type.Interfaces) Use(i.InterfaceType);
            foreach (var a in type.CustomAttributes) Use(a.AttributeType);
            foreach (var f in type.Fields) Use(f.FieldType);
            foreach (var p in type.Properties) Use(p.PropertyType);
            foreach (var m in type.Methods)
            {
                Use(m.ReturnType);
                foreach (var p in m.Parameters) Use(p.ParameterType);
                foreach (var a in m.CustomAttributes) Use(a.AttributeType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Use(v.VariableType);
                foreach (var instruction in m.Body.Instructions)
                    switch (instruction.Operand)
                    {
                        case TypeReference t: Use(t); break;
                        case MethodReference r:
                            Use(r.DeclaringType);
                            Use(r.ReturnType);
                            foreach (var p in r.Parameters) Use(p.ParameterType);
                            if (r is GenericInstanceMethod g) foreach (var argument in g.GenericArguments) Use(argument);
                            break;
                        case FieldReference f: Use(f.DeclaringType); Use(f.FieldType); break;
                    }
            }
        }
        return new FolderGraph { Edges = edges.ToDictionary(e => e.Key, e => (IReadOnlySet<string>)e.Value), Why = why };
    }
}
