/* Native scoring of the detector's two stance models, the same arithmetic as the Python
 * code it stands in for (Model.score in model.py, Forest._score in forest.py), which runs
 * when this module is not built. Two capsules:
 *
 * forest(...)  the tree ensemble, QuickScorer-style (below);
 * linear(...)  the logistic regression's weights and the forest's feature ids, keyed by
 *              token ids: one hash probe per token of a text, then plain arrays. A Python
 *              dict probe reads the key object of every slot it passes, and those objects
 *              are scattered over the heap: the dict lookups were a third of the detector's
 *              time (perf), mostly cache misses.
 * score(linear, masked, feats) -> (p_support, p_oppose), before calibration: the linear
 * model's softmax, averaged with the trees' where the linear model is unsure.
 *
 * The forest
 * Tables, built and checked once by forest.py and checked again here:
 *   start[f], start[f + 1]   the tests on feature f, by ascending threshold
 *   node_tree[k], node_threshold[k], node_mask[k]
 *                            test k's tree, threshold and the mask that clears its left
 *                            subtree's leaves when the test fails (value > threshold)
 *   first_leaf[t], leaf_count[t], klass[t]   each tree's leaves (at most 64) and class
 *   leaf[m]                  leaf values in integer units of 1e-8 (LEAF_UNITS in forest.py)
 * The per-class sums are those of the exit leaves, where an exit leaf is the lowest bit
 * left in its tree's bit vector. With no failed test a tree exits at its first leaf, so
 * the sums start from those (`base`) and only the trees a text's features touch are
 * visited: a few hundred of the 1,200, and their tables are what stays in cache. Integer
 * sums do not depend on the order trees are visited in. Absent features are 0 and every threshold is >= 0, so
 * only the text's own features can fail a test.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAPSULE_NAME "netralitas.detection._scorer.Forest"
#define LINEAR_NAME "netralitas.detection._scorer.Linear"
#define MAX_CLASSES 8
#define LEAF_UNITS 1e8 /* forest.py's LEAF_UNITS */
#define MAX_LEAF_UNITS ((int64_t)1 << 30) /* forest.py's MAX_LEAF_UNITS */

typedef struct {
    Py_ssize_t n_features, n_tests, n_trees, n_leaves, n_classes;
    int32_t *start, *node_tree, *first_leaf, *leaf_count, *klass;
    double *node_threshold;
    int64_t *leaf;
    int32_t *exit_delta; /* leaf[m] minus its tree's first leaf (|leaf| <= 2^30 units) */
    int64_t base[MAX_CLASSES]; /* the first leaves' sums, per class */
    uint8_t *seen;       /* the trees in `trees`, all 0 between calls */
    int32_t *trees;      /* the trees a text's features touched */
    uint64_t *node_mask;
    uint64_t *full;    /* each tree's bit vector before any test: its leaves all set */
    uint64_t *scratch; /* the bit vectors of the text being scored */
    /* Compact copies of the tests, one record each, for cache locality. */
    struct Test {
        uint16_t tree;
        uint16_t fail_from; /* counts are whole: the test fails from floor(threshold) + 1 */
        uint8_t left_first, left_width; /* the left subtree's run of leaf bits */
    } *tests;
    double *counts;    /* feature values of the text being scored, all 0 between calls */
    int32_t *touched;  /* the ids set in counts */
} Forest;

static void forest_free(Forest *f) {
    if (!f) return;
    free(f->start); free(f->node_tree); free(f->first_leaf); free(f->leaf_count);
    free(f->klass); free(f->node_threshold); free(f->leaf); free(f->node_mask);
    free(f->full); free(f->scratch); free(f->counts); free(f->touched);
    free(f->exit_delta); free(f->seen); free(f->trees);
    free(f->tests);
    free(f);
}

static void capsule_destructor(PyObject *capsule) {
    forest_free((Forest *)PyCapsule_GetPointer(capsule, CAPSULE_NAME));
}

/* Copy a bytes-like object of items of `size` bytes into a new array; *count = items. */
static void *copy_buffer(PyObject *obj, Py_ssize_t size, Py_ssize_t *count, const char *what) {
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) return NULL;
    if (view.len % size != 0) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes is not a whole number of items", what,
                     view.len);
        PyBuffer_Release(&view);
        return NULL;
    }
    *count = view.len / size;
    void *out = malloc(view.len > 0 ? (size_t)view.len : 1);
    if (!out) {
        PyBuffer_Release(&view);
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(out, view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    return out;
}

static PyObject *bad(Forest *f, const char *message) {
    forest_free(f);
    PyErr_SetString(PyExc_ValueError, message);
    return NULL;
}

static PyObject *forest(PyObject *self, PyObject *args) {
    PyObject *start, *node_tree, *node_threshold, *node_mask, *first_leaf, *leaf_count, *klass,
        *leaf;
    Py_ssize_t n_features, n_classes;
    if (!PyArg_ParseTuple(args, "nnOOOOOOOO", &n_features, &n_classes, &start, &node_tree,
                          &node_threshold, &node_mask, &first_leaf, &leaf_count, &klass, &leaf))
        return NULL;
    if (n_features < 0 || n_classes < 1 || n_classes > MAX_CLASSES) {
        PyErr_SetString(PyExc_ValueError, "bad feature or class count");
        return NULL;
    }
    Forest *f = calloc(1, sizeof(Forest));
    if (!f) return PyErr_NoMemory();
    f->n_features = n_features;
    f->n_classes = n_classes;
    Py_ssize_t n_start, n_threshold, n_mask, n_count, n_klass;
    if (!(f->start = copy_buffer(start, 4, &n_start, "start")) ||
        !(f->node_tree = copy_buffer(node_tree, 4, &f->n_tests, "node_tree")) ||
        !(f->node_threshold = copy_buffer(node_threshold, 8, &n_threshold, "node_threshold")) ||
        !(f->node_mask = copy_buffer(node_mask, 8, &n_mask, "node_mask")) ||
        !(f->first_leaf = copy_buffer(first_leaf, 4, &f->n_trees, "first_leaf")) ||
        !(f->leaf_count = copy_buffer(leaf_count, 4, &n_count, "leaf_count")) ||
        !(f->klass = copy_buffer(klass, 4, &n_klass, "klass")) ||
        !(f->leaf = copy_buffer(leaf, sizeof(int64_t), &f->n_leaves, "leaf"))) {
        forest_free(f);
        return NULL;
    }
    if (n_start != n_features + 1 || n_threshold != f->n_tests || n_mask != f->n_tests ||
        n_count != f->n_trees || n_klass != f->n_trees)
        return bad(f, "forest tables differ in length");
    /* Check every index once, so that predict needs no bounds checks. */
    if (f->start[0] != 0 || f->start[n_features] != f->n_tests)
        return bad(f, "forest test index out of range");
    for (Py_ssize_t i = 0; i < n_features; i++)
        if (f->start[i] > f->start[i + 1]) return bad(f, "forest test index out of range");
    for (Py_ssize_t k = 0; k < f->n_tests; k++) {
        if (f->node_tree[k] < 0 || f->node_tree[k] >= f->n_trees)
            return bad(f, "forest tree index out of range");
        if (!(f->node_threshold[k] >= 0.0)) return bad(f, "forest threshold below 0");
    }
    f->full = malloc((f->n_trees > 0 ? (size_t)f->n_trees : 1) * sizeof(uint64_t));
    f->scratch = malloc((f->n_trees > 0 ? (size_t)f->n_trees : 1) * sizeof(uint64_t));
    f->counts = calloc(n_features > 0 ? (size_t)n_features : 1, sizeof(double));
    f->touched = malloc(((size_t)n_features + 1) * sizeof(int32_t));
    f->exit_delta = malloc((f->n_leaves > 0 ? (size_t)f->n_leaves : 1) * sizeof(int32_t));
    f->seen = calloc(f->n_trees > 0 ? (size_t)f->n_trees : 1, 1);
    f->trees = malloc((f->n_trees > 0 ? (size_t)f->n_trees : 1) * sizeof(int32_t));
    if (!f->full || !f->scratch || !f->counts || !f->touched || !f->exit_delta || !f->seen ||
        !f->trees) {
        forest_free(f);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t t = 0; t < f->n_trees; t++) {
        int32_t count = f->leaf_count[t];
        if (count < 1 || count > 64 || f->first_leaf[t] < 0 ||
            (Py_ssize_t)f->first_leaf[t] + count > f->n_leaves)
            return bad(f, "forest leaf index out of range");
        if (f->klass[t] < 0 || f->klass[t] >= n_classes)
            return bad(f, "forest class out of range");
        f->full[t] = count == 64 ? ~(uint64_t)0 : (((uint64_t)1 << count) - 1);
        int64_t first = f->leaf[f->first_leaf[t]];
        for (int32_t m = 0; m < count; m++) {
            int64_t value = f->leaf[f->first_leaf[t] + m];
            /* Differences of two such leaves fit in 32 bits. */
            if (value > MAX_LEAF_UNITS || value < -MAX_LEAF_UNITS)
                return bad(f, "forest leaf value out of range");
            f->exit_delta[f->first_leaf[t] + m] = (int32_t)(value - first);
        }
        f->base[f->klass[t]] += first;
    }
    if (f->n_trees > 65535) return bad(f, "more than 65535 trees");
    size_t tests = f->n_tests > 0 ? (size_t)f->n_tests : 1;
    f->tests = malloc(tests * sizeof(struct Test));
    if (!f->tests) {
        forest_free(f);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < f->n_tests; k++) {
        int32_t tree = f->node_tree[k];
        /* The cleared bits: one run inside the tree's leaves, never all of them. */
        uint64_t cleared = ~f->node_mask[k] & f->full[tree];
        if (cleared == 0 || cleared == f->full[tree])
            return bad(f, "forest mask is not a subtree");
        int first = __builtin_ctzll(cleared);
        int width = __builtin_popcountll(cleared);
        uint64_t run = width == 64 ? ~(uint64_t)0 : (((uint64_t)1 << width) - 1) << first;
        if (run != cleared || f->node_mask[k] != ~cleared)
            return bad(f, "forest mask is not a subtree");
        double threshold = f->node_threshold[k];
        struct Test *test = &f->tests[k];
        test->tree = (uint16_t)tree;
        test->fail_from = threshold >= 65534.0 ? 65535 : (uint16_t)((int)threshold + 1);
        test->left_first = (uint8_t)first;
        test->left_width = (uint8_t)width;
    }
    /* Only the compact copies are read from here on. */
    free(f->node_tree); free(f->node_threshold); free(f->node_mask);
    f->node_tree = NULL; f->node_threshold = NULL; f->node_mask = NULL;
    PyObject *capsule = PyCapsule_New(f, CAPSULE_NAME, capsule_destructor);
    if (!capsule) forest_free(f);
    return capsule;
}

/* Per-class sums (in leaf units) of the exit leaves for the features counted in f->counts
 * / f->touched, which are reset to 0 for the next text. Returns -1 (exception set) only for
 * tables that are not trees. */
static int forest_sums(Forest *f, Py_ssize_t n_touched, int64_t *sums) {
    uint64_t *bits = f->scratch;
    int32_t n_trees = 0;
    for (Py_ssize_t j = 0; j < n_touched; j++) {
        int32_t id = f->touched[j];
        double value = f->counts[id];
        f->counts[id] = 0.0;
        unsigned count = value >= 65535.0 ? 65535u : (unsigned)value;
        for (const struct Test *test = &f->tests[f->start[id]], *end = &f->tests[f->start[id + 1]];
             test < end; test++) {
            if (test->fail_from > count) break;
            int32_t tree = test->tree;
            if (!f->seen[tree]) {
                f->seen[tree] = 1;
                f->trees[n_trees++] = tree;
                bits[tree] = ~(uint64_t)0; /* bits above the leaves are never the lowest */
            }
            int width = test->left_width;
            uint64_t run = width == 64 ? ~(uint64_t)0 : (((uint64_t)1 << width) - 1);
            bits[tree] &= ~(run << test->left_first);
        }
    }
    for (Py_ssize_t k = 0; k < f->n_classes; k++) sums[k] = f->base[k];
    int broken = 0;
    for (int32_t j = 0; j < n_trees; j++) {
        int32_t tree = f->trees[j];
        f->seen[tree] = 0;
        if ((bits[tree] & f->full[tree]) == 0) { /* only tables that are not trees clear
                                                     every leaf */
            broken = 1;
            continue;
        }
        sums[f->klass[tree]] += f->exit_delta[f->first_leaf[tree] + __builtin_ctzll(bits[tree])];
    }
    if (broken) {
        PyErr_SetString(PyExc_ValueError, "forest tables are not trees");
        return -1;
    }
    return 0;
}

static void forget_counts(Forest *f, Py_ssize_t n_touched) {
    for (Py_ssize_t j = 0; j < n_touched; j++) f->counts[f->touched[j]] = 0.0;
}

/* Count `times` more of feature `id` in the text. */
static inline void count(Forest *f, int32_t id, double times, Py_ssize_t *n_touched) {
    if (f->counts[id] == 0.0) f->touched[(*n_touched)++] = id;
    f->counts[id] += times;
}

/* forest_raw(forest, values): the per-class sums for {feature id: value}, as Forest._score. */
static PyObject *forest_raw(PyObject *self, PyObject *args) {
    PyObject *capsule, *values;
    if (!PyArg_ParseTuple(args, "OO!", &capsule, &PyDict_Type, &values)) return NULL;
    Forest *f = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
    if (!f) return NULL;
    Py_ssize_t pos = 0, n_touched = 0;
    PyObject *key, *value;
    while (PyDict_Next(values, &pos, &key, &value)) {
        Py_ssize_t id = PyLong_AsSsize_t(key);
        double v = PyFloat_AsDouble(value);
        if (PyErr_Occurred()) {
            forget_counts(f, n_touched);
            return NULL;
        }
        if (id < 0 || id >= f->n_features || !(v >= 0.0)) {
            forget_counts(f, n_touched);
            PyErr_Format(PyExc_ValueError, "feature %zd: id or value out of range", id);
            return NULL;
        }
        if (v > 0.0) count(f, (int32_t)id, v, &n_touched);
    }
    int64_t sums[MAX_CLASSES];
    if (forest_sums(f, n_touched, sums) < 0) return NULL;
    PyObject *result = PyTuple_New(f->n_classes);
    if (!result) return NULL;
    for (Py_ssize_t k = 0; k < f->n_classes; k++) {
        PyObject *item = PyFloat_FromDouble((double)sums[k] / LEAF_UNITS);
        if (!item) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, k, item);
    }
    return result;
}

/* ------------------------------------------------------------------ the linear model */

/* Strings to ids: open addressing with linear probing over (low 32 bits of the hash, id).
 * The keys' characters are copied into one arena, so that a lookup reads the table, the
 * arena and the probed token, never a key object elsewhere on the heap. */
typedef struct {
    uint32_t hash; /* low 32 bits of the str hash */
    int32_t id;    /* -1: empty */
} Slot;

typedef struct {
    uint32_t at;     /* offset of the key's characters in the arena */
    uint32_t length; /* in characters */
    uint32_t kind;   /* bytes per character (PEP 393) */
} KeyText;

typedef struct {
    Py_ssize_t n;
    Slot *slots;
    KeyText *texts; /* by id */
    char *arena;
    size_t mask;
} StrTable;

static void table_free(StrTable *t) {
    free(t->slots); free(t->texts); free(t->arena);
    memset(t, 0, sizeof(*t));
}

/* Whether `key` (a ready str) has the characters of key text `id`. Strings are canonical
 * (PEP 393): equal strings have the same kind. */
static inline int same_text(const StrTable *t, int32_t id, PyObject *key) {
    const KeyText *text = &t->texts[id];
    Py_ssize_t length = PyUnicode_GET_LENGTH(key);
    if ((uint32_t)length != text->length || (uint32_t)PyUnicode_KIND(key) != text->kind) return 0;
    return memcmp(t->arena + text->at, PyUnicode_DATA(key), (size_t)length * text->kind) == 0;
}

/* The id of `key`, -1 when absent, -2 when it is not a str (exception set). */
static inline int32_t table_get(const StrTable *t, PyObject *key) {
    if (!PyUnicode_CheckExact(key)) {
        PyErr_Format(PyExc_TypeError, "tokens and features must be str, not %.100s",
                     Py_TYPE(key)->tp_name);
        return -2;
    }
    Py_hash_t hash = PyObject_Hash(key); /* cached in the str object */
    uint32_t low = (uint32_t)hash;
    for (size_t i = (size_t)hash & t->mask;; i = (i + 1) & t->mask) {
        Slot slot = t->slots[i];
        if (slot.id < 0) return -1;
        if (slot.hash == low && same_text(t, slot.id, key)) return slot.id;
    }
}

/* Fill `t` from a list of distinct str; -1 with an exception set on failure. */
static int table_build(StrTable *t, PyObject *list, const char *what) {
    memset(t, 0, sizeof(*t));
    if (!PyList_Check(list)) {
        PyErr_Format(PyExc_TypeError, "%s must be a list", what);
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    if (n >= INT32_MAX / 4) {
        PyErr_Format(PyExc_ValueError, "%s: too many", what);
        return -1;
    }
    size_t size = 0;
    for (Py_ssize_t id = 0; id < n; id++) {
        PyObject *key = PyList_GET_ITEM(list, id);
        if (!PyUnicode_CheckExact(key) || PyUnicode_READY(key) < 0) {
            if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "%s must be str", what);
            return -1;
        }
        size += (size_t)PyUnicode_GET_LENGTH(key) * PyUnicode_KIND(key);
        if (size >= UINT32_MAX) {
            PyErr_Format(PyExc_ValueError, "%s: too long", what);
            return -1;
        }
    }
    size_t slots = 8;
    while (slots < (size_t)n + (size_t)n / 2 + 1) slots *= 2; /* load at most 2/3 */
    t->slots = malloc(slots * sizeof(Slot));
    t->texts = malloc((n > 0 ? (size_t)n : 1) * sizeof(KeyText));
    t->arena = malloc(size > 0 ? size : 1);
    if (!t->slots || !t->texts || !t->arena) {
        table_free(t);
        PyErr_NoMemory();
        return -1;
    }
    t->n = n;
    t->mask = slots - 1;
    for (size_t i = 0; i < slots; i++) t->slots[i].id = -1;
    size_t at = 0;
    for (Py_ssize_t id = 0; id < n; id++) {
        PyObject *key = PyList_GET_ITEM(list, id);
        Py_hash_t hash = PyObject_Hash(key);
        if (hash == -1 && PyErr_Occurred()) {
            table_free(t);
            return -1;
        }
        size_t i = (size_t)hash & t->mask;
        while (t->slots[i].id >= 0) {
            if (t->slots[i].hash == (uint32_t)hash && same_text(t, t->slots[i].id, key)) {
                PyErr_Format(PyExc_ValueError, "%s: %R twice", what, key);
                table_free(t);
                return -1;
            }
            i = (i + 1) & t->mask;
        }
        size_t bytes = (size_t)PyUnicode_GET_LENGTH(key) * PyUnicode_KIND(key);
        memcpy(t->arena + at, PyUnicode_DATA(key), bytes);
        t->texts[id] = (KeyText){(uint32_t)at, (uint32_t)PyUnicode_GET_LENGTH(key),
                                 (uint32_t)PyUnicode_KIND(key)};
        at += bytes;
        t->slots[i] = (Slot){(uint32_t)hash, (int32_t)id};
    }
    return 0;
}

/* A feature's weights (support - none, oppose - none, in 1e-5 units) and its forest id. */
typedef struct {
    int32_t w1, w2, tree_id; /* tree_id -1: the trees do not use it */
} Entry;

typedef struct {
    StrTable tokens;          /* every token of an n-gram either model uses, "<s>", "</s>" */
    Entry *uni;               /* by token id */
    /* Bigrams by first token id: second token ids (ascending) and entries of
     * bi_start[id] .. bi_start[id + 1]. */
    int32_t *bi_start, *bi_second;
    Entry *bi;
    StrTable others;          /* binary features */
    Entry *other;
    int32_t begin, end;       /* ids of "<s>" and "</s>" */
    double bias1, bias2, weight, low, high, margin;
    PyObject *forest_capsule; /* owned; NULL: no trees */
    Forest *forest;
} Linear;

static void linear_free(Linear *m) {
    if (!m) return;
    table_free(&m->tokens);
    table_free(&m->others);
    free(m->uni); free(m->bi_start); free(m->bi_second); free(m->bi); free(m->other);
    Py_XDECREF(m->forest_capsule);
    free(m);
}

static void linear_destructor(PyObject *capsule) {
    linear_free((Linear *)PyCapsule_GetPointer(capsule, LINEAR_NAME));
}

static PyObject *linear_bad(Linear *m, const char *message) {
    linear_free(m);
    PyErr_SetString(PyExc_ValueError, message);
    return NULL;
}

/* Entries from a buffer of int32 triples; checks the tree ids against the forest. */
static Entry *entries(PyObject *buffer, Py_ssize_t expected, Py_ssize_t n_features,
                      const char *what) {
    Py_ssize_t n;
    Entry *out = copy_buffer(buffer, sizeof(Entry), &n, what);
    if (!out) return NULL;
    if (n != expected) {
        PyErr_Format(PyExc_ValueError, "%s: %zd entries, %zd expected", what, n, expected);
        free(out);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (out[i].tree_id < -1 || out[i].tree_id >= n_features) {
            PyErr_Format(PyExc_ValueError, "%s: tree feature id out of range", what);
            free(out);
            return NULL;
        }
    return out;
}

/* linear(tokens, uni, bi_start, bi_second, bi, others, other, bias1, bias2, forest,
 *        weight, low, high, margin) -> capsule. */
static PyObject *linear(PyObject *self, PyObject *args) {
    PyObject *tokens, *uni, *bi_start, *bi_second, *bi, *others, *other, *forest_capsule;
    Linear *m = calloc(1, sizeof(Linear));
    if (!m) return PyErr_NoMemory();
    if (!PyArg_ParseTuple(args, "OOOOOOOddOdddd", &tokens, &uni, &bi_start, &bi_second, &bi,
                          &others, &other, &m->bias1, &m->bias2, &forest_capsule, &m->weight,
                          &m->low, &m->high, &m->margin)) {
        free(m);
        return NULL;
    }
    Py_ssize_t n_features = 0;
    if (forest_capsule != Py_None) {
        m->forest = PyCapsule_GetPointer(forest_capsule, CAPSULE_NAME);
        if (!m->forest) {
            free(m);
            return NULL;
        }
        Py_INCREF(forest_capsule);
        m->forest_capsule = forest_capsule;
        n_features = m->forest->n_features;
    }
    if (table_build(&m->tokens, tokens, "tokens") < 0 ||
        table_build(&m->others, others, "features") < 0) {
        linear_free(m);
        return NULL;
    }
    Py_ssize_t n_tokens = m->tokens.n, n_start, n_second;
    if (!(m->uni = entries(uni, n_tokens, n_features, "unigrams")) ||
        !(m->other = entries(other, m->others.n, n_features, "features")) ||
        !(m->bi_start = copy_buffer(bi_start, 4, &n_start, "bigram index")) ||
        !(m->bi_second = copy_buffer(bi_second, 4, &n_second, "bigram tokens")) ||
        !(m->bi = entries(bi, n_second, n_features, "bigrams"))) {
        linear_free(m);
        return NULL;
    }
    if (n_start != n_tokens + 1 || m->bi_start[0] != 0 || m->bi_start[n_tokens] != n_second)
        return linear_bad(m, "bigram index out of range");
    for (Py_ssize_t id = 0; id < n_tokens; id++) {
        if (m->bi_start[id] > m->bi_start[id + 1])
            return linear_bad(m, "bigram index out of range");
        for (int32_t k = m->bi_start[id]; k < m->bi_start[id + 1]; k++)
            if (m->bi_second[k] < 0 || m->bi_second[k] >= n_tokens ||
                (k > m->bi_start[id] && m->bi_second[k] <= m->bi_second[k - 1]))
                return linear_bad(m, "bigram tokens out of range or order");
    }
    PyObject *begin = PyUnicode_FromString("<s>"), *end = PyUnicode_FromString("</s>");
    if (!begin || !end) {
        Py_XDECREF(begin);
        Py_XDECREF(end);
        linear_free(m);
        return NULL;
    }
    m->begin = table_get(&m->tokens, begin);
    m->end = table_get(&m->tokens, end);
    Py_DECREF(begin);
    Py_DECREF(end);
    PyObject *capsule = PyCapsule_New(m, LINEAR_NAME, linear_destructor);
    if (!capsule) linear_free(m);
    return capsule;
}

/* The bigram (first, second)'s entry, or NULL. */
static inline const Entry *bigram(const Linear *m, int32_t first, int32_t second) {
    if (first < 0 || second < 0) return NULL;
    int32_t low = m->bi_start[first], high = m->bi_start[first + 1];
    const int32_t *seconds = m->bi_second;
    while (high - low > 8) { /* a few first tokens ("CAND", ".") have hundreds */
        int32_t middle = low + (high - low) / 2;
        if (seconds[middle] <= second) low = middle;
        else high = middle;
    }
    for (int32_t k = low; k < high; k++)
        if (seconds[k] == second) return &m->bi[k];
    return NULL;
}

static inline void add(const Entry *e, int64_t *z1, int64_t *z2, Forest *f,
                       Py_ssize_t *n_touched, int weights) {
    if (weights) {
        *z1 += e->w1;
        *z2 += e->w2;
    }
    if (f && e->tree_id >= 0) count(f, e->tree_id, 1.0, n_touched);
}

/* score(linear, masked, feats) -> (p_support, p_oppose) */
static PyObject *score(PyObject *self, PyObject *args) {
    PyObject *capsule, *masked, *feats;
    if (!PyArg_ParseTuple(args, "OO!O", &capsule, &PyList_Type, &masked, &feats)) return NULL;
    Linear *m = PyCapsule_GetPointer(capsule, LINEAR_NAME);
    if (!m) return NULL;
    Forest *f = m->forest;
    int64_t z1 = 0, z2 = 0;
    Py_ssize_t n_touched = 0;
    PyObject *iterator = PyObject_GetIter(feats);
    if (!iterator) return NULL;
    PyObject *feat;
    while ((feat = PyIter_Next(iterator))) {
        int32_t id = table_get(&m->others, feat);
        Py_DECREF(feat);
        if (id == -2) break;
        if (id < 0) continue;
        const Entry *e = &m->other[id];
        z1 += e->w1;
        z2 += e->w2;
        /* A binary feature's value is 1, however often an iterable repeats it. */
        if (f && e->tree_id >= 0 && f->counts[e->tree_id] == 0.0)
            count(f, e->tree_id, 1.0, &n_touched);
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred()) goto fail;
    Py_ssize_t n = PyList_GET_SIZE(masked);
    if (n > 0) {
        /* As Model.score: a unigram per token, a bigram per pair with <s> and </s> at the
         * edges. Forest.values also looks "</s>" up as a unigram (the linear model does
         * not; neither has such a feature). */
        int32_t prev = m->begin;
        for (Py_ssize_t i = 0; i < n; i++) {
            int32_t id = table_get(&m->tokens, PyList_GET_ITEM(masked, i));
            if (id == -2) goto fail;
            if (id >= 0) add(&m->uni[id], &z1, &z2, f, &n_touched, 1);
            const Entry *e = bigram(m, prev, id);
            if (e) add(e, &z1, &z2, f, &n_touched, 1);
            prev = id;
        }
        if (m->end >= 0) add(&m->uni[m->end], &z1, &z2, f, &n_touched, 0);
        const Entry *e = bigram(m, prev, m->end);
        if (e) add(e, &z1, &z2, f, &n_touched, 1);
    }
    /* Softmax over (none, support, oppose) with none's score 0; the operations and their
     * order are Model.score's, so the doubles are the same. */
    double s1 = m->bias1 + (double)z1 / 100000.0, s2 = m->bias2 + (double)z2 / 100000.0;
    double top = 0.0;
    if (s1 > top) top = s1;
    if (s2 > top) top = s2;
    double e0 = exp(-top), e1 = exp(s1 - top), e2 = exp(s2 - top);
    double total = e0 + e1 + e2;
    double p_support = e1 / total, p_oppose = e2 / total;
    if (f) {
        /* Forest.unsure, then mix(linear, Forest.probabilities, weight). */
        double partisan = p_support + p_oppose;
        int unsure = partisan < m->low    ? 0
                     : partisan <= m->high ? 1
                                           : fabs(p_support - p_oppose) / partisan < m->margin;
        if (unsure) {
            int64_t sums[MAX_CLASSES];
            if (forest_sums(f, n_touched, sums) < 0) return NULL;
            n_touched = 0;
            /* Forest.raw: exact integer sums, one rounding each. */
            double r[MAX_CLASSES];
            for (Py_ssize_t k = 0; k < f->n_classes; k++) r[k] = (double)sums[k] / LEAF_UNITS;
            double t = r[0];
            if (r[1] > t) t = r[1];
            if (r[2] > t) t = r[2];
            double t0 = exp(r[0] - t), t1 = exp(r[1] - t), t2 = exp(r[2] - t);
            double t_total = t0 + t1 + t2;
            double w = m->weight;
            p_support = (1 - w) * p_support + w * (t1 / t_total);
            p_oppose = (1 - w) * p_oppose + w * (t2 / t_total);
        }
        forget_counts(f, n_touched);
    }
    return Py_BuildValue("(dd)", p_support, p_oppose);
fail:
    if (f) forget_counts(f, n_touched);
    return NULL;
}

static PyMethodDef methods[] = {
    {"forest", forest, METH_VARARGS,
     "forest(n_features, n_classes, start, node_tree, node_threshold, node_mask, first_leaf, "
     "leaf_count, klass, leaf) -> forest"},
    {"forest_raw", forest_raw, METH_VARARGS,
     "forest_raw(forest, {feature id: value}) -> per-class sums"},
    {"linear", linear, METH_VARARGS,
     "linear(tokens, uni, bi_start, bi_second, bi, others, other, bias1, bias2, forest, "
     "weight, low, high, margin) -> linear"},
    {"score", score, METH_VARARGS, "score(linear, masked, feats) -> (p_support, p_oppose)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scorer", "Native scoring of the stance models.", -1, methods,
};

PyMODINIT_FUNC PyInit__scorer(void) { return PyModule_Create(&module); }
