/* Native chunk cache of the normaliser: the loop of Normaliser.normalise (normalise.py),
 * which runs as Python when this module is not built.
 *
 * A text is split on whitespace into chunks, as str.split() does, with each line break a
 * chunk of its own (the key "\x00", as the Python code spells it); NUL counts as a space.
 * Each chunk is looked up in a table keyed by its characters. A miss calls back into
 * Python (Normaliser._learn_chunk) and keeps what the chunk records. The Python loop
 * built a string per chunk and probed a dict whose keys are scattered string objects
 * (perf: the largest single cost of the detector); here the keys' characters sit in one
 * arena and no object is made per chunk.
 *
 * table()               a new, empty table (a capsule);
 * clear(table)          drop every chunk;
 * size(table)           the number of chunks held;
 * read(table, text, learn)
 *     -> (chunks, norms, at, entries, trigger, flags, has_word, starts)
 *     as Normaliser.normalise joins them, and `starts`, the character offset of each
 *     chunk in `text` as native int32 bytes (the evidence spans need them).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_NAME "netralitas.detection._chunks.Table"
#define NEWLINE_KEY 0 /* normalise.py's _NEWLINE */
#define LOCAL_CHUNKS 256

typedef struct {
    uint64_t hash;
    size_t key;   /* offset of the chunk's characters in the arena */
    Py_ssize_t len;
    Py_ssize_t n_norms, n_entries;
    PyObject *chunk;   /* the Chunk object */
    PyObject *norms;   /* its normal tokens (a tuple of str) */
    char trigger, has_word;
    PyObject *entries; /* its index entries (a tuple), NULL when none */
    PyObject *flags;   /* its flagged cue classes (a tuple), NULL when none */
    int32_t *at;       /* positions of the entries in norms */
} Entry;

typedef struct {
    uint32_t check; /* the hash's high half: most probes of a wrong slot stop here */
    int32_t item;   /* index into items, -1 when empty */
} Slot;

typedef struct {
    Entry *items;
    Py_ssize_t count, cap;
    Slot *slots;
    Py_ssize_t mask;
    Py_UCS4 *arena;
    size_t arena_len, arena_cap;
    /* Reads under way. A read holds entry indices across the learn callback, which runs
     * Python: another thread (or the callback itself) may then clear the table, and a
     * clear while a read is under way waits until the last one ends. Learning elsewhere
     * only appends, and a read takes entries by index after each callback. */
    int busy, clear_pending;
} Table;

static void entry_release(Entry *e) {
    Py_XDECREF(e->chunk);
    Py_XDECREF(e->norms);
    Py_XDECREF(e->entries);
    Py_XDECREF(e->flags);
    free(e->at);
}

static void table_clear(Table *t) {
    if (t->busy) {
        t->clear_pending = 1;
        return;
    }
    t->clear_pending = 0;
    /* The table is emptied before the entries are released: a release may run Python
     * code, which may use the table again. */
    Entry *items = t->items;
    Py_ssize_t count = t->count;
    t->items = NULL;
    t->count = t->cap = 0;
    t->arena_len = 0;
    if (t->slots) memset(t->slots, 0xff, (size_t)(t->mask + 1) * sizeof(Slot));
    for (Py_ssize_t i = 0; i < count; i++) entry_release(&items[i]);
    free(items);
}

static void table_free(Table *t) {
    if (!t) return;
    t->busy = 0; /* no read can be under way: it holds a reference to the capsule */
    table_clear(t);
    free(t->items);
    free(t->slots);
    free(t->arena);
    free(t);
}

static void table_destructor(PyObject *capsule) {
    table_free((Table *)PyCapsule_GetPointer(capsule, TABLE_NAME));
}

static Table *get_table(PyObject *capsule) {
    return (Table *)PyCapsule_GetPointer(capsule, TABLE_NAME);
}

static PyObject *chunks_table(PyObject *self, PyObject *noargs) {
    Table *t = calloc(1, sizeof(Table));
    if (!t) return PyErr_NoMemory();
    t->mask = 1023;
    t->slots = malloc(1024 * sizeof(Slot));
    if (!t->slots) {
        free(t);
        return PyErr_NoMemory();
    }
    memset(t->slots, 0xff, 1024 * sizeof(Slot));
    PyObject *capsule = PyCapsule_New(t, TABLE_NAME, table_destructor);
    if (!capsule) table_free(t);
    return capsule;
}

static PyObject *chunks_clear(PyObject *self, PyObject *capsule) {
    Table *t = get_table(capsule);
    if (!t) return NULL;
    table_clear(t);
    Py_RETURN_NONE;
}

static PyObject *chunks_size(PyObject *self, PyObject *capsule) {
    Table *t = get_table(capsule);
    if (!t) return NULL;
    return PyLong_FromSsize_t(t->count);
}

/* Characters of a chunk: a run of the text, or the line-break key. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t start, len;
} Span;

static inline Py_UCS4 span_char(const Span *s, Py_ssize_t i) {
    return s->kind ? PyUnicode_READ(s->kind, s->data, s->start + i) : NEWLINE_KEY;
}

static uint64_t span_hash(const Span *s) {
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a over code points */
    for (Py_ssize_t i = 0; i < s->len; i++) {
        h ^= span_char(s, i);
        h *= 0x100000001b3ULL;
    }
    return h ^ (h >> 29);
}

static int span_equal(const Table *t, const Entry *e, const Span *s) {
    if (e->len != s->len) return 0;
    const Py_UCS4 *key = t->arena + e->key;
    for (Py_ssize_t i = 0; i < s->len; i++)
        if (key[i] != span_char(s, i)) return 0;
    return 1;
}

static Py_ssize_t find(const Table *t, const Span *s, uint64_t hash) {
    Py_ssize_t i = (Py_ssize_t)(hash & (uint64_t)t->mask);
    uint32_t check = (uint32_t)(hash >> 32);
    for (;;) {
        Slot slot = t->slots[i];
        if (slot.item < 0) return -1;
        if (slot.check == check) {
            const Entry *e = &t->items[slot.item];
            if (e->hash == hash && span_equal(t, e, s)) return slot.item;
        }
        i = (i + 1) & t->mask;
    }
}

static void place(Slot *slots, Py_ssize_t mask, uint64_t hash, Py_ssize_t item) {
    Py_ssize_t i = (Py_ssize_t)(hash & (uint64_t)mask);
    while (slots[i].item >= 0) i = (i + 1) & mask;
    slots[i].check = (uint32_t)(hash >> 32);
    slots[i].item = (int32_t)item;
}

static int grow_slots(Table *t) {
    Py_ssize_t size = (t->mask + 1) * 2;
    Slot *slots = malloc((size_t)size * sizeof(Slot));
    if (!slots) return -1;
    memset(slots, 0xff, (size_t)size * sizeof(Slot));
    for (Py_ssize_t k = 0; k < t->count; k++) place(slots, size - 1, t->items[k].hash, k);
    free(t->slots);
    t->slots = slots;
    t->mask = size - 1;
    return 0;
}

/* The chunk's fields, checked once here so that read() needs no checks. */
static int fill_entry(Entry *e, PyObject *chunk) {
    PyObject *norms = NULL, *at = NULL, *entries = NULL, *flags = NULL, *trigger = NULL,
             *has_word = NULL;
    int ok = -1;
    if (!(norms = PyObject_GetAttrString(chunk, "norms")) ||
        !(at = PyObject_GetAttrString(chunk, "at")) ||
        !(entries = PyObject_GetAttrString(chunk, "entries")) ||
        !(flags = PyObject_GetAttrString(chunk, "flags")) ||
        !(trigger = PyObject_GetAttrString(chunk, "trigger")) ||
        !(has_word = PyObject_GetAttrString(chunk, "has_word")))
        goto done;
    if (!PyTuple_Check(norms) || !PyTuple_Check(at) || !PyTuple_Check(entries) ||
        PyTuple_GET_SIZE(at) != PyTuple_GET_SIZE(entries)) {
        PyErr_SetString(PyExc_TypeError,
                        "a chunk's norms, at and entries must be tuples, at and entries alike");
        goto done;
    }
    Py_ssize_t n_norms = PyTuple_GET_SIZE(norms);
    for (Py_ssize_t i = 0; i < n_norms; i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(norms, i))) {
            PyErr_SetString(PyExc_TypeError, "a chunk's norms must be strings");
            goto done;
        }
    Py_ssize_t n = PyTuple_GET_SIZE(at);
    e->at = n ? malloc((size_t)n * sizeof(int32_t)) : NULL;
    if (n && !e->at) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t position = PyLong_AsSsize_t(PyTuple_GET_ITEM(at, i));
        if (position == -1 && PyErr_Occurred()) goto done;
        if (position < 0 || position >= n_norms) {
            PyErr_SetString(PyExc_ValueError, "a chunk's entry position is out of range");
            goto done;
        }
        e->at[i] = (int32_t)position;
    }
    PyObject *flag_tuple = PySequence_Tuple(flags);
    if (!flag_tuple) goto done;
    int t = PyObject_IsTrue(trigger), w = PyObject_IsTrue(has_word);
    if (t < 0 || w < 0) {
        Py_DECREF(flag_tuple);
        goto done;
    }
    e->trigger = (char)t;
    e->has_word = (char)w;
    e->n_entries = n;
    e->n_norms = n_norms;
    Py_INCREF(chunk);
    e->chunk = chunk;
    Py_INCREF(norms);
    e->norms = norms;
    if (n) {
        Py_INCREF(entries);
        e->entries = entries;
    }
    if (PyTuple_GET_SIZE(flag_tuple))
        e->flags = flag_tuple;
    else
        Py_DECREF(flag_tuple);
    ok = 0;
done:
    if (ok < 0) {
        free(e->at);
        e->at = NULL;
    }
    Py_XDECREF(norms);
    Py_XDECREF(at);
    Py_XDECREF(entries);
    Py_XDECREF(flags);
    Py_XDECREF(trigger);
    Py_XDECREF(has_word);
    return ok;
}

/* Learn a chunk through Python and keep it; its index in items, or -1 on error. */
static Py_ssize_t learn_chunk(Table *t, PyObject *text, const Span *s, uint64_t hash,
                              PyObject *learn) {
    PyObject *piece = s->kind ? PyUnicode_Substring(text, s->start, s->start + s->len)
                              : PyUnicode_FromOrdinal(NEWLINE_KEY);
    if (!piece) return -1;
    PyObject *chunk = PyObject_CallOneArg(learn, piece);
    Py_DECREF(piece);
    if (!chunk) return -1;
    Entry fresh;
    memset(&fresh, 0, sizeof(Entry));
    int filled = fill_entry(&fresh, chunk);
    Py_DECREF(chunk); /* the entry holds its own reference */
    if (filled < 0) return -1;
    /* No Python code runs from here until the entry is placed. Another thread may have
     * learnt the same chunk meanwhile: keep the first. */
    Py_ssize_t found = find(t, s, hash);
    if (found >= 0) {
        entry_release(&fresh);
        return found;
    }
    if ((t->count + 1) * 2 > t->mask + 1 && grow_slots(t) < 0) goto no_memory;
    if (t->count == t->cap) {
        Py_ssize_t cap = t->cap ? t->cap * 2 : 1024;
        Entry *items = realloc(t->items, (size_t)cap * sizeof(Entry));
        if (!items) goto no_memory;
        t->items = items;
        t->cap = cap;
    }
    if (t->arena_len + (size_t)s->len > t->arena_cap) {
        size_t cap = t->arena_cap ? t->arena_cap * 2 : 16384;
        while (cap < t->arena_len + (size_t)s->len) cap *= 2;
        Py_UCS4 *arena = realloc(t->arena, cap * sizeof(Py_UCS4));
        if (!arena) goto no_memory;
        t->arena = arena;
        t->arena_cap = cap;
    }
    fresh.hash = hash;
    fresh.key = t->arena_len;
    fresh.len = s->len;
    for (Py_ssize_t i = 0; i < s->len; i++) t->arena[t->arena_len + (size_t)i] = span_char(s, i);
    t->arena_len += (size_t)s->len;
    t->items[t->count] = fresh;
    place(t->slots, t->mask, hash, t->count);
    return t->count++;
no_memory:
    entry_release(&fresh);
    PyErr_NoMemory();
    return -1;
}

static inline int is_space(Py_UCS4 ch) { return ch == 0 || Py_UNICODE_ISSPACE(ch); }

/* One chunk of the text being read. */
typedef struct {
    uint64_t hash;
    int32_t start, len;
    int32_t item; /* its entry; in the prefetch passes, a guess (-1: none) */
    int32_t newline;
} Piece;

static inline Span piece_span(const Piece *p, int kind, const void *data) {
    Span s = {p->newline ? 0 : kind, data, p->start, p->len};
    return s;
}

/* Split `text` into pieces (with their hashes); the count, or -1 on error. The array is
 * `*pieces`, grown from `local` onto the heap when the text has more chunks. */
static Py_ssize_t split(PyObject *text, Piece *local, Py_ssize_t cap, Piece **pieces) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), n = 0, i = 0;
    *pieces = local;
    while (i < length) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        Piece p = {0, (int32_t)i, 1, -1, 0};
        if (ch == '\n') {
            p.newline = 1;
            i++;
        } else if (is_space(ch)) {
            i++;
            continue;
        } else {
            Py_ssize_t j = i + 1;
            while (j < length) {
                Py_UCS4 c = PyUnicode_READ(kind, data, j);
                if (c == '\n' || is_space(c)) break;
                j++;
            }
            p.len = (int32_t)(j - i);
            i = j;
        }
        Span s = piece_span(&p, kind, data);
        p.hash = span_hash(&s);
        if (n == cap) {
            Piece *bigger = malloc((size_t)cap * 2 * sizeof(Piece));
            if (!bigger) {
                PyErr_NoMemory();
                return -1;
            }
            memcpy(bigger, *pieces, (size_t)n * sizeof(Piece));
            if (*pieces != local) free(*pieces);
            *pieces = bigger;
            cap *= 2;
        }
        (*pieces)[n++] = p;
    }
    return n;
}

/* A text's chunks are found in stages, each over all of them, so that the cache misses
 * of one chunk overlap those of the next instead of following them: split and hash, then
 * prefetch slots; read the slots and prefetch the entries they point at; then the keys'
 * characters and the objects the lists will take; then the exact lookups (and learning
 * of new chunks), then the lists. The prefetches are only hints: the exact lookup decides. */
static PyObject *chunks_read(PyObject *self, PyObject *args) {
    PyObject *capsule, *text, *learn;
    if (!PyArg_ParseTuple(args, "OUO", &capsule, &text, &learn)) return NULL;
    Table *t = get_table(capsule);
    if (!t) return NULL;
    if (PyUnicode_GET_LENGTH(text) > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "text too long");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Piece local[LOCAL_CHUNKS], *pieces;
    t->busy++;
    Py_ssize_t n = split(text, local, LOCAL_CHUNKS, &pieces);
    PyObject *result = NULL, *chunks = NULL, *norms = NULL, *at = NULL, *entries = NULL,
             *flags = NULL, *starts = NULL;
    if (n < 0) goto done;

    for (Py_ssize_t c = 0; c < n; c++)
        __builtin_prefetch(&t->slots[pieces[c].hash & (uint64_t)t->mask]);
    for (Py_ssize_t c = 0; c < n; c++) {
        Slot slot = t->slots[pieces[c].hash & (uint64_t)t->mask];
        if (slot.item >= 0 && slot.check == (uint32_t)(pieces[c].hash >> 32)) {
            pieces[c].item = slot.item;
            __builtin_prefetch(&t->items[slot.item]);
        }
    }
    for (Py_ssize_t c = 0; c < n; c++) {
        if (pieces[c].item < 0) continue;
        const Entry *e = &t->items[pieces[c].item];
        __builtin_prefetch(t->arena + e->key);
        __builtin_prefetch(e->chunk);
        __builtin_prefetch(e->norms);
    }
    Py_ssize_t n_norms = 0, n_entries = 0;
    for (Py_ssize_t c = 0; c < n; c++) {
        Span s = piece_span(&pieces[c], kind, data);
        Py_ssize_t found = find(t, &s, pieces[c].hash);
        if (found < 0 && (found = learn_chunk(t, text, &s, pieces[c].hash, learn)) < 0)
            goto done;
        pieces[c].item = (int32_t)found;
        n_norms += t->items[found].n_norms;
        n_entries += t->items[found].n_entries;
    }

    chunks = PyList_New(n);
    norms = PyList_New(n_norms);
    at = PyList_New(n_entries);
    entries = PyList_New(n_entries);
    flags = PySet_New(NULL);
    starts = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int32_t));
    if (!chunks || !norms || !at || !entries || !flags || !starts) goto done;
    int32_t *start_of = (int32_t *)PyBytes_AS_STRING(starts);
    int trigger = 0, has_word = 0;
    Py_ssize_t base = 0, k = 0;
    for (Py_ssize_t c = 0; c < n; c++) {
        const Entry *e = &t->items[pieces[c].item];
        start_of[c] = pieces[c].start;
        Py_INCREF(e->chunk);
        PyList_SET_ITEM(chunks, c, e->chunk);
        for (Py_ssize_t m = 0; m < e->n_norms; m++) {
            PyObject *token = PyTuple_GET_ITEM(e->norms, m);
            Py_INCREF(token);
            PyList_SET_ITEM(norms, base + m, token);
        }
        for (Py_ssize_t m = 0; m < e->n_entries; m++) {
            PyObject *position = PyLong_FromSsize_t(base + e->at[m]);
            if (!position) goto done;
            PyList_SET_ITEM(at, k, position);
            PyObject *entry = PyTuple_GET_ITEM(e->entries, m);
            Py_INCREF(entry);
            PyList_SET_ITEM(entries, k, entry);
            k++;
        }
        if (e->flags)
            for (Py_ssize_t m = 0; m < PyTuple_GET_SIZE(e->flags); m++)
                if (PySet_Add(flags, PyTuple_GET_ITEM(e->flags, m)) < 0) goto done;
        trigger |= e->trigger;
        has_word |= e->has_word;
        base += e->n_norms;
    }
    result = Py_BuildValue("(OOOOOOOO)", chunks, norms, at, entries, trigger ? Py_True : Py_False,
                           flags, has_word ? Py_True : Py_False, starts);
done:
    Py_XDECREF(chunks);
    Py_XDECREF(norms);
    Py_XDECREF(at);
    Py_XDECREF(entries);
    Py_XDECREF(flags);
    Py_XDECREF(starts);
    if (pieces != local) free(pieces);
    if (--t->busy == 0 && t->clear_pending) table_clear(t);
    return result;
}

static PyMethodDef methods[] = {
    {"table", chunks_table, METH_NOARGS, "A new, empty chunk table."},
    {"clear", chunks_clear, METH_O, "Drop every chunk of the table."},
    {"size", chunks_size, METH_O, "The number of chunks the table holds."},
    {"read", chunks_read, METH_VARARGS,
     "read(table, text, learn) -> (chunks, norms, at, entries, trigger, flags, has_word, "
     "starts)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chunks", "The normaliser's chunk cache in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__chunks(void) { return PyModule_Create(&module); }
