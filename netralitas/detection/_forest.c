/* Native evaluation of the detector's tree ensemble: the same algorithm as
 * Forest._score in forest.py (used when this module is not built), QuickScorer-style.
 *
 * Tables, built and checked once by forest.py and checked again here:
 *   start[f], start[f + 1]   the tests on feature f, by ascending threshold
 *   node_tree[k], node_threshold[k], node_mask[k]
 *                            test k's tree, threshold and the mask that clears its left
 *                            subtree's leaves when the test fails (value > threshold)
 *   first_leaf[t], leaf_count[t], klass[t]   each tree's leaves (at most 64) and class
 *   leaf[m]                  leaf values
 * predict_text(...) -> per-class sums of the exit leaves, where an exit leaf is the lowest
 * bit left in its tree's bit vector. Absent features are 0 and every threshold is >= 0, so
 * only the text's own features can fail a test.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAPSULE_NAME "netralitas.detection._forest.Forest"
#define MAX_CLASSES 8

typedef struct {
    Py_ssize_t n_features, n_tests, n_trees, n_leaves, n_classes;
    int32_t *start, *node_tree, *first_leaf, *leaf_count, *klass;
    double *node_threshold, *leaf;
    uint64_t *node_mask;
    uint64_t *full;    /* each tree's bit vector before any test: its leaves all set */
    uint64_t *scratch; /* the bit vectors of the text being scored */
    /* Compact copies of the tests, for cache locality (counts are whole numbers, so a test
     * fails when the count reaches fail_from = floor(threshold) + 1; the mask is the left
     * subtree's run of leaf bits, first and width). */
    uint16_t *test_tree, *fail_from;
    uint8_t *left_first, *left_width;
    double *counts;    /* predict_text: feature values of the text, all 0 between calls */
    int32_t *touched;  /* predict_text: the ids set in counts */
} Forest;

static void forest_free(Forest *f) {
    if (!f) return;
    free(f->start); free(f->node_tree); free(f->first_leaf); free(f->leaf_count);
    free(f->klass); free(f->node_threshold); free(f->leaf); free(f->node_mask);
    free(f->full); free(f->scratch); free(f->counts); free(f->touched);
    free(f->test_tree); free(f->fail_from); free(f->left_first); free(f->left_width);
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

static PyObject *build(PyObject *self, PyObject *args) {
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
        !(f->leaf = copy_buffer(leaf, 8, &f->n_leaves, "leaf"))) {
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
    if (!f->full || !f->scratch || !f->counts || !f->touched) {
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
    }
    if (f->n_trees > 65535) return bad(f, "more than 65535 trees");
    size_t tests = f->n_tests > 0 ? (size_t)f->n_tests : 1;
    f->test_tree = malloc(tests * sizeof(uint16_t));
    f->fail_from = malloc(tests * sizeof(uint16_t));
    f->left_first = malloc(tests);
    f->left_width = malloc(tests);
    if (!f->test_tree || !f->fail_from || !f->left_first || !f->left_width) {
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
        f->test_tree[k] = (uint16_t)tree;
        f->fail_from[k] = threshold >= 65534.0 ? 65535 : (uint16_t)((int)threshold + 1);
        f->left_first[k] = (uint8_t)first;
        f->left_width[k] = (uint8_t)width;
    }
    /* Only the compact copies are read from here on. */
    free(f->node_tree); free(f->node_threshold); free(f->node_mask);
    f->node_tree = NULL; f->node_threshold = NULL; f->node_mask = NULL;
    PyObject *capsule = PyCapsule_New(f, CAPSULE_NAME, capsule_destructor);
    if (!capsule) forest_free(f);
    return capsule;
}

/* Clear the left-subtree bits of every test on feature `id` that a count fails. */
static inline void fail_count(Forest *f, uint64_t *bits, int32_t id, double value) {
    unsigned count = value >= 65535.0 ? 65535u : (unsigned)value;
    const uint16_t *fail_from = f->fail_from;
    for (int32_t k = f->start[id], end = f->start[id + 1]; k < end; k++) {
        if (fail_from[k] > count) break;
        int width = f->left_width[k];
        uint64_t run = width == 64 ? ~(uint64_t)0 : (((uint64_t)1 << width) - 1);
        bits[f->test_tree[k]] &= ~(run << f->left_first[k]);
    }
}

/* Per-class sums of the exit leaves, as a tuple. */
static PyObject *exit_sums(Forest *f, const uint64_t *bits) {
    double sums[MAX_CLASSES] = {0};
    for (Py_ssize_t t = 0; t < f->n_trees; t++) {
        if (bits[t] == 0) { /* only tables that are not trees can clear every leaf */
            PyErr_SetString(PyExc_ValueError, "forest tables are not trees");
            return NULL;
        }
        sums[f->klass[t]] += f->leaf[f->first_leaf[t] + __builtin_ctzll(bits[t])];
    }
    PyObject *result = PyTuple_New(f->n_classes);
    if (!result) return NULL;
    for (Py_ssize_t k = 0; k < f->n_classes; k++) {
        PyObject *item = PyFloat_FromDouble(sums[k]);
        if (!item) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, k, item);
    }
    return result;
}

/* The id a dict maps `key` to: >= 0, -1 when absent, -2 on error (exception set). */
static Py_ssize_t lookup(Forest *f, PyObject *dict, PyObject *key) {
    PyObject *found = PyDict_GetItemWithError(dict, key);
    if (!found) return PyErr_Occurred() ? -2 : -1;
    Py_ssize_t id = PyLong_AsSsize_t(found);
    if (id == -1 && PyErr_Occurred()) return -2;
    if (id < 0 || id >= f->n_features) {
        PyErr_Format(PyExc_IndexError, "feature id %zd out of range", id);
        return -2;
    }
    return id;
}

/* Count one occurrence of feature `id` in the text. */
static inline void count(Forest *f, Py_ssize_t id, Py_ssize_t *n_touched) {
    if (f->counts[id] == 0.0) f->touched[(*n_touched)++] = (int32_t)id;
    f->counts[id] += 1.0;
}

/* predict_text(forest, uni, bi, other, masked, feats): the sums for a text given its masked
 * tokens (unigram and bigram counts, <s> and </s> at the edges) and its binary features,
 * with the feature ids of Forest.uni / .bi / .other: the same sums as Forest._score of
 * Forest.values(...). */
static PyObject *predict_text(PyObject *self, PyObject *args) {
    PyObject *capsule, *uni, *bi, *other, *masked, *feats;
    if (!PyArg_ParseTuple(args, "OO!O!O!O!O", &capsule, &PyDict_Type, &uni, &PyDict_Type, &bi,
                          &PyDict_Type, &other, &PyList_Type, &masked, &feats))
        return NULL;
    Forest *f = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
    if (!f) return NULL;
    Py_ssize_t n_touched = 0, id;
    PyObject *result = NULL;
    PyObject *iterator = PyObject_GetIter(feats);
    if (!iterator) return NULL;
    PyObject *feat;
    while ((feat = PyIter_Next(iterator))) {
        id = lookup(f, other, feat);
        Py_DECREF(feat);
        if (id == -2) break;
        if (id >= 0) count(f, id, &n_touched);
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred()) goto done;
    Py_ssize_t n = PyList_GET_SIZE(masked);
    if (n > 0) {
        PyObject *start_token = PyUnicode_FromString("<s>");
        PyObject *end_token = PyUnicode_FromString("</s>");
        if (!start_token || !end_token) {
            Py_XDECREF(start_token);
            Py_XDECREF(end_token);
            goto done;
        }
        PyObject *prev = start_token;
        for (Py_ssize_t i = 0; i <= n; i++) {
            PyObject *token = i < n ? PyList_GET_ITEM(masked, i) : end_token;
            id = lookup(f, uni, token);
            if (id >= 0) count(f, id, &n_touched);
            PyObject *following = id == -2 ? NULL : PyDict_GetItemWithError(bi, prev);
            if (following && PyDict_Check(following)) {
                id = lookup(f, following, token);
                if (id >= 0) count(f, id, &n_touched);
            }
            if (id == -2 || PyErr_Occurred()) break;
            prev = token;
        }
        Py_DECREF(start_token);
        Py_DECREF(end_token);
        if (PyErr_Occurred()) goto done;
    }
    uint64_t *bits = f->scratch;
    memcpy(bits, f->full, (size_t)f->n_trees * sizeof(uint64_t));
    for (Py_ssize_t j = 0; j < n_touched; j++)
        fail_count(f, bits, f->touched[j], f->counts[f->touched[j]]);
    result = exit_sums(f, bits);
done:
    for (Py_ssize_t j = 0; j < n_touched; j++) f->counts[f->touched[j]] = 0.0;
    return result;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS,
     "build(n_features, n_classes, start, node_tree, node_threshold, node_mask, first_leaf, "
     "leaf_count, klass, leaf) -> forest"},
    {"predict_text", predict_text, METH_VARARGS,
     "predict_text(forest, uni, bi, other, masked, feats) -> per-class sums"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_forest", "Native tree-ensemble evaluation.", -1, methods,
};

PyMODINIT_FUNC PyInit__forest(void) { return PyModule_Create(&module); }
