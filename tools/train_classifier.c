/* train_classifier.c — trains the AAMI beat classifier on MIT-BIH DS1 and writes the model as
 * C source (src/classify/classify_model.c).
 *
 *   build/tools/train_classifier --db ../shared/data/mitdb --out src/classify/classify_model.c
 *   build/tools/train_classifier --db DIR --cv        (leave-one-record-out figures on DS1)
 *
 * Every DS1 record (de Chazal 2004; paced 102 104 107 217 are not in it), channel 0, goes
 * through the real streaming path: vs_qrs, then vs_classifier_process exactly as at run time.
 * Each detected beat gets the AAMI class of the reference .atr beat closest to it within 150 ms
 * (unmatched beats and Q beats are left out). The model is gradient-boosted trees (softmax loss,
 * VS_CLS_NTREE rounds of depth-3 trees on quantile cuts, learning rate 0.06, class weights
 * (n / n_class)^0.3; --ws / --wv scale the S / V weights), all chosen by DS1
 * leave-one-record-out cross-validation (--cv). Deterministic: no random numbers, same data =>
 * same bytes. DS2 is never read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify_impl.h"
#include "vitalstream/eval.h"
#include "vitalstream/io.h"
#include "vitalstream/qrs.h"

#define NIN VS_CLS_NINPUT
#define NCL VS_CLS_NCLASS

static const char *const k_ds1[] = {"101", "106", "108", "109", "112", "114", "115", "116",
                                    "118", "119", "122", "124", "201", "203", "205", "207",
                                    "208", "209", "215", "220", "223", "230"};
#define N_DS1 (sizeof k_ds1 / sizeof k_ds1[0])

typedef struct sample {
    int record;
    int label;
    double z[NIN];
} sample;

typedef struct dataset {
    sample *items;
    size_t count, cap;
} dataset;

typedef struct model {
    uint8_t feat[VS_CLS_NTREE][NCL][VS_CLS_NODES];
    float thr[VS_CLS_NTREE][NCL][VS_CLS_NODES];
    float leaf[VS_CLS_NTREE][NCL][VS_CLS_LEAVES];
    double base[NCL];
} model;

static int push_sample(dataset *d, const sample *s)
{
    if (d->count == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 65536;
        sample *p = realloc(d->items, nc * sizeof *p);
        if (!p) return 0;
        d->items = p;
        d->cap = nc;
    }
    d->items[d->count++] = *s;
    return 1;
}

/* Runs QRS + classifier on one record and appends its labelled beats. */
static int load_record(const char *db, const char *rec, int rec_index, dataset *d)
{
    char base[4096], path[4200];
    snprintf(base, sizeof base, "%s/%s", db, rec);
    vs_io_error err;
    float *x = NULL;
    int64_t n = 0;
    double fs = 0;
    if (vs_wfdb_read_signal(base, 0, &x, &n, &fs, &err) != VS_OK) {
        fprintf(stderr, "train_classifier: %s\n", err.message);
        return 0;
    }
    vs_annotation_list ref = {0};
    snprintf(path, sizeof path, "%s.atr", base);
    if (vs_annot_read(path, &ref, &err) != VS_OK) {
        fprintf(stderr, "train_classifier: %s\n", err.message);
        vs_io_free(x);
        return 0;
    }
    vs_qrs *q = NULL;
    vs_classifier *c = NULL;
    int ok = vs_qrs_create(&q, fs) == VS_OK && vs_classifier_create(&c, fs) == VS_OK;
    size_t cap = ok ? vs_qrs_max_events(q, (size_t)n) : 0, nb = 0, nout = 0, nfin = 0;
    vs_beat *beats = ok ? malloc((cap + 1) * sizeof *beats) : NULL;
    vs_classified_beat *out = beats ? malloc((cap + 1) * sizeof *out) : NULL;
    ok = ok && out && vs_qrs_process(q, x, (size_t)n, beats, cap, &nb) == VS_OK &&
         vs_classifier_process(c, x, (size_t)n, beats, nb, out, cap, &nout) == VS_OK &&
         vs_classifier_finish(c, out + nout, 1, &nfin) == VS_OK;
    nout += nfin;
    if (!ok) fprintf(stderr, "train_classifier: %s: processing failed\n", rec);
    /* label: closest reference beat within 150 ms */
    int64_t win = (int64_t)(0.15 * fs + 0.5);
    size_t j = 0;
    for (size_t i = 0; ok && i < nout; i++) {
        int64_t t = out[i].beat.sample_idx;
        while (j < ref.count && ref.items[j].sample_idx < t - win) j++;
        int64_t best = win + 1;
        int cls = -1;
        for (size_t k = j; k < ref.count && ref.items[k].sample_idx <= t + win; k++) {
            if (!vs_ec57_is_beat(ref.items[k].code)) continue;
            int64_t dd = llabs(ref.items[k].sample_idx - t);
            if (dd < best) {
                best = dd;
                cls = vs_ec57_code_class(ref.items[k].code);
            }
        }
        if (cls < 0 || cls >= NCL) continue; /* unmatched or Q */
        sample s;
        s.record = rec_index;
        s.label = cls;
        vs_classify_model_inputs(&out[i].features, s.z);
        if (!push_sample(d, &s)) ok = 0;
    }
    free(out);
    free(beats);
    vs_classifier_destroy(c);
    vs_qrs_destroy(q);
    vs_annot_list_free(&ref);
    vs_io_free(x);
    return ok;
}

/* ---- gradient-boosted trees (softmax loss, class-balanced weights) ----------------------- */
#define NBIN 32
#define LEARN_RATE 0.06
#define LAMBDA 1.0
#define MIN_CHILD_H 10.0

static double g_bias[NCL];
static const char *g_show; /* --show REC: print the CV mistakes of one record */
static double g_weight_power = 0.3;
static double g_s_weight = 1.0; /* extra factor on the S class weight */
static double g_v_weight = 1.0;
static int g_ntree = VS_CLS_NTREE;
static double g_lr = LEARN_RATE;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

/* Candidate thresholds per input: NBIN - 1 quantiles of the training values (as float, the
 * type stored in the model), strictly increasing; unused slots are FLT_MAX. */
static void make_cuts(const dataset *d, int skip, float cuts[NIN][NBIN - 1], int ncut[NIN])
{
    double *v = malloc(d->count * sizeof *v);
    for (int k = 0; k < NIN; k++) {
        size_t n = 0;
        for (size_t i = 0; i < d->count; i++)
            if (d->items[i].record != skip) v[n++] = d->items[i].z[k];
        qsort(v, n, sizeof *v, cmp_double);
        ncut[k] = 0;
        for (int b = 0; b < NBIN - 1; b++) {
            float t = (float)v[(size_t)((double)(b + 1) * (double)n / NBIN)];
            if (ncut[k] == 0 || t > cuts[k][ncut[k] - 1]) cuts[k][ncut[k]++] = t;
        }
        for (int b = ncut[k]; b < NBIN - 1; b++) cuts[k][b] = 3.0e38f;
    }
    free(v);
}

static uint8_t bin_of(const float *cuts, int ncut, double z)
{
    int b = 0;
    while (b < ncut && !(z <= (double)cuts[b])) b++;
    return (uint8_t)b; /* z <= cuts[b] for b < ncut; ncut = above every cut */
}

static int train(const dataset *d, int skip_record, model *m)
{
    memset(m, 0, sizeof *m);
    static float cuts[NIN][NBIN - 1];
    int ncut[NIN];
    make_cuts(d, skip_record, cuts, ncut);
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++) n += d->items[i].record != skip_record;
    if (n < 2) return 0;
    uint8_t *bins = malloc(n * NIN);
    int *label = malloc(n * sizeof *label);
    double *wt = malloc(n * sizeof *wt), *F = calloc(n * NCL, sizeof *F);
    double *P = malloc(n * NCL * sizeof *P), *g = malloc(n * sizeof *g), *h = malloc(n * sizeof *h);
    int *node = malloc(n * sizeof *node);
    double cnt[NCL] = {0};
    size_t j = 0;
    for (size_t i = 0; i < d->count; i++) {
        const sample *s = &d->items[i];
        if (s->record == skip_record) continue;
        for (int k = 0; k < NIN; k++) bins[j * NIN + k] = bin_of(cuts[k], ncut[k], s->z[k]);
        label[j] = s->label;
        cnt[s->label] += 1;
        j++;
    }
    int present = 0;
    for (int c = 0; c < NCL; c++) present += cnt[c] > 0;
    for (size_t i = 0; i < n; i++)
        wt[i] = pow((double)n / (present * cnt[label[i]]), g_weight_power) *
                (label[i] == VS_AAMI_S ? g_s_weight : label[i] == VS_AAMI_V ? g_v_weight : 1.0);
    for (int t = 0; t < g_ntree; t++) {
        for (size_t i = 0; i < n; i++) {
            double mx = F[i * NCL];
            for (int c = 1; c < NCL; c++) if (F[i * NCL + c] > mx) mx = F[i * NCL + c];
            double den = 0;
            for (int c = 0; c < NCL; c++) den += exp(F[i * NCL + c] - mx);
            for (int c = 0; c < NCL; c++) P[i * NCL + c] = exp(F[i * NCL + c] - mx) / den;
        }
        for (int c = 0; c < NCL; c++) {
            if (cnt[c] <= 0) {
                for (int q = 0; q < VS_CLS_NODES; q++) m->thr[t][c][q] = 3.0e38f;
                continue;
            }
            for (size_t i = 0; i < n; i++) {
                double p = P[i * NCL + c];
                g[i] = wt[i] * (p - (label[i] == c ? 1.0 : 0.0));
                h[i] = wt[i] * (p * (1.0 - p) > 1e-6 ? p * (1.0 - p) : 1e-6);
                node[i] = 0;
            }
            for (int depth = 0; depth < VS_CLS_DEPTH; depth++) {
                int first = (1 << depth) - 1, count = 1 << depth;
                static double hg[4][NIN][NBIN], hh[4][NIN][NBIN];
                memset(hg, 0, sizeof hg);
                memset(hh, 0, sizeof hh);
                for (size_t i = 0; i < n; i++) {
                    int q = node[i] - first;
                    for (int k = 0; k < NIN; k++) {
                        hg[q][k][bins[i * NIN + k]] += g[i];
                        hh[q][k][bins[i * NIN + k]] += h[i];
                    }
                }
                for (int q = 0; q < count; q++) {
                    double G = 0, H = 0;
                    for (int b = 0; b < NBIN; b++) {
                        G += hg[q][0][b];
                        H += hh[q][0][b];
                    }
                    double best = 1e-9, parent = G * G / (H + LAMBDA);
                    int bf = 0, bb = -1;
                    for (int k = 0; k < NIN; k++) {
                        double GL = 0, HL = 0;
                        for (int b = 0; b < ncut[k]; b++) {
                            GL += hg[q][k][b];
                            HL += hh[q][k][b];
                            double GR = G - GL, HR = H - HL;
                            if (HL < MIN_CHILD_H || HR < MIN_CHILD_H) continue;
                            double gain = GL * GL / (HL + LAMBDA) + GR * GR / (HR + LAMBDA) - parent;
                            if (gain > best) {
                                best = gain;
                                bf = k;
                                bb = b;
                            }
                        }
                    }
                    m->feat[t][c][first + q] = (uint8_t)bf;
                    m->thr[t][c][first + q] = bb >= 0 ? cuts[bf][bb] : 3.0e38f;
                    if (bb < 0) bb = NBIN; /* no split: everything goes left */
                    for (size_t i = 0; i < n; i++)
                        if (node[i] == first + q)
                            node[i] = 2 * node[i] + (bins[i * NIN + bf] <= bb ? 1 : 2);
                    /* bins[] > bb only for b < ncut; cuts equal the model thresholds */
                }
            }
            double LG[VS_CLS_LEAVES] = {0}, LH[VS_CLS_LEAVES] = {0};
            for (size_t i = 0; i < n; i++) {
                LG[node[i] - VS_CLS_NODES] += g[i];
                LH[node[i] - VS_CLS_NODES] += h[i];
            }
            for (int l = 0; l < VS_CLS_LEAVES; l++)
                m->leaf[t][c][l] = LH[l] > 0 ? (float)(-g_lr * LG[l] / (LH[l] + LAMBDA)) : 0.0f;
            for (size_t i = 0; i < n; i++) F[i * NCL + c] += m->leaf[t][c][node[i] - VS_CLS_NODES];
        }
    }
    for (int t = g_ntree; t < VS_CLS_NTREE; t++) /* unused rounds: always left, leaf 0 */
        for (int c = 0; c < NCL; c++)
            for (int q = 0; q < VS_CLS_NODES; q++) m->thr[t][c][q] = 3.0e38f;
    for (int c = 0; c < NCL; c++) m->base[c] = cnt[c] > 0 ? g_bias[c] : -1e6;
    free(bins); free(label); free(wt); free(F); free(P); free(g); free(h); free(node);
    return 1;
}

static int predict(const model *m, const double *z)
{
    double s[NCL];
    for (int c = 0; c < NCL; c++) s[c] = m->base[c];
    for (int t = 0; t < VS_CLS_NTREE; t++)
        for (int c = 0; c < NCL; c++)
            s[c] += m->leaf[t][c][vs_classify_tree_leaf_index(m->feat[t][c], m->thr[t][c], z)];
    int best = 0;
    for (int c = 1; c < NCL; c++) if (s[c] > s[best]) best = c;
    return best;
}

static void print_matrix(const long mat[NCL][NCL], const char *title)
{
    static const char names[] = "NSVF";
    printf("%s (rows: reference, columns: predicted)\n      ", title);
    for (int c = 0; c < NCL; c++) printf(" %8c", names[c]);
    printf("      Se%%     +P%%\n");
    for (int r = 0; r < NCL; r++) {
        long row = 0, col = 0;
        for (int c = 0; c < NCL; c++) {
            row += mat[r][c];
            col += mat[c][r];
        }
        printf("  %c   ", names[r]);
        for (int c = 0; c < NCL; c++) printf(" %8ld", mat[r][c]);
        printf("  %6.2f  %6.2f\n", row ? 100.0 * mat[r][r] / row : -1.0,
               col ? 100.0 * mat[r][r] / col : -1.0);
    }
}

static void cross_validate(const dataset *d)
{
    long mat[NCL][NCL];
    memset(mat, 0, sizeof mat);
    for (int r = 0; r < (int)N_DS1; r++) {
        model m;
        if (!train(d, r, &m)) {
            fprintf(stderr, "train_classifier: CV fold %s failed\n", k_ds1[r]);
            continue;
        }
        long rm[NCL][NCL];
        memset(rm, 0, sizeof rm);
        for (size_t i = 0; i < d->count; i++) {
            const sample *s = &d->items[i];
            if (s->record != r) continue;
            int p = predict(&m, s->z);
            if (g_show && !strcmp(g_show, k_ds1[r]) && p != s->label) {
                printf("  ref %d pred %d:", s->label, p);
                for (int k = 0; k < NIN; k++) printf(" %.2f", s->z[k]);
                putchar('\n');
            }
            mat[s->label][p]++;
            rm[s->label][p]++;
        }
        printf("%s: N %ld/%ld  S %ld/%ld (fpS %ld)  V %ld/%ld (fpV %ld)\n", k_ds1[r], rm[0][0],
               rm[0][0] + rm[0][1] + rm[0][2] + rm[0][3], rm[1][1],
               rm[1][0] + rm[1][1] + rm[1][2] + rm[1][3], rm[0][1] + rm[2][1] + rm[3][1],
               rm[2][2], rm[2][0] + rm[2][1] + rm[2][2] + rm[2][3],
               rm[0][2] + rm[1][2] + rm[3][2]);
    }
    print_matrix((const long (*)[NCL])mat, "DS1 leave-one-record-out");
}

/* CSV of the model inputs (record, label, z0..), for looking at the features. */
static void dump_inputs(const dataset *d, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return;
    }
    fprintf(f, "record,label");
    for (int k = 0; k < NIN; k++) fprintf(f, ",z%d", k);
    fputc('\n', f);
    for (size_t i = 0; i < d->count; i++) {
        fprintf(f, "%s,%d", k_ds1[d->items[i].record], d->items[i].label);
        for (int k = 0; k < NIN; k++) fprintf(f, ",%.6g", d->items[i].z[k]);
        fputc('\n', f);
    }
    fclose(f);
}

static void put_floats(FILE *f, const float *v, int n)
{
    fputs("{", f);
    for (int i = 0; i < n; i++) fprintf(f, "%s%.9g", i ? ", " : "", (double)v[i]);
    fputs("}", f);
}

static int write_model(const model *m, const char *path, size_t n_samples)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 0;
    }
    fprintf(f, "/* classify_model.c — GENERATED by tools/train_classifier from MIT-BIH DS1 "
               "(%zu beats); do not edit.\n * Gradient-boosted trees, layout in classify_impl.h. */\n",
            n_samples);
    fprintf(f, "#include \"classify_impl.h\"\n\n");
    fprintf(f, "const uint8_t vs_classify_tree_feat[VS_CLS_NTREE][VS_CLS_NCLASS][VS_CLS_NODES] = {\n");
    for (int t = 0; t < VS_CLS_NTREE; t++) {
        fputs("    {", f);
        for (int c = 0; c < NCL; c++) {
            fputs(c ? ", {" : "{", f);
            for (int q = 0; q < VS_CLS_NODES; q++) fprintf(f, "%s%d", q ? ", " : "", m->feat[t][c][q]);
            fputs("}", f);
        }
        fputs("},\n", f);
    }
    fprintf(f, "};\nconst float vs_classify_tree_thr[VS_CLS_NTREE][VS_CLS_NCLASS][VS_CLS_NODES] = {\n");
    for (int t = 0; t < VS_CLS_NTREE; t++) {
        fputs("    {", f);
        for (int c = 0; c < NCL; c++) {
            if (c) fputs(",\n     ", f);
            put_floats(f, m->thr[t][c], VS_CLS_NODES);
        }
        fputs("},\n", f);
    }
    fprintf(f, "};\nconst float vs_classify_tree_leaf[VS_CLS_NTREE][VS_CLS_NCLASS][VS_CLS_LEAVES] = {\n");
    for (int t = 0; t < VS_CLS_NTREE; t++) {
        fputs("    {", f);
        for (int c = 0; c < NCL; c++) {
            if (c) fputs(",\n     ", f);
            put_floats(f, m->leaf[t][c], VS_CLS_LEAVES);
        }
        fputs("},\n", f);
    }
    fprintf(f, "};\nconst double vs_classify_model_base[VS_CLS_NCLASS] = {");
    for (int c = 0; c < NCL; c++) fprintf(f, "%s%.17g", c ? ", " : "", m->base[c]);
    fprintf(f, "};\n");
    if (fclose(f) != 0) {
        perror(path);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *out = NULL, *dump = NULL;
    int cv = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--cv")) cv = 1;
        else if (!strcmp(argv[i], "--ntree") && i + 1 < argc) g_ntree = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--lr") && i + 1 < argc) g_lr = atof(argv[++i]);
        else if (!strcmp(argv[i], "--show") && i + 1 < argc) g_show = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc) dump = argv[++i];
        else if (!strcmp(argv[i], "--wpow") && i + 1 < argc) g_weight_power = atof(argv[++i]);
        else if (!strcmp(argv[i], "--ws") && i + 1 < argc) g_s_weight = atof(argv[++i]);
        else if (!strcmp(argv[i], "--wv") && i + 1 < argc) g_v_weight = atof(argv[++i]);
        else if (!strcmp(argv[i], "--bias") && i + 4 < argc) {
            for (int c = 0; c < NCL; c++) g_bias[c] = atof(argv[++i]);
        }
        else {
            fprintf(stderr, "usage: train_classifier --db MITDB_DIR [--out MODEL.c] [--cv]\n");
            return 1;
        }
    }
    if (!db || (!out && !cv && !dump)) {
        fprintf(stderr, "usage: train_classifier --db MITDB_DIR [--out MODEL.c] [--cv]\n");
        return 1;
    }
    dataset d = {0};
    for (size_t r = 0; r < N_DS1; r++)
        if (!load_record(db, k_ds1[r], (int)r, &d)) return 2;
    long counts[NCL] = {0};
    for (size_t i = 0; i < d.count; i++) counts[d.items[i].label]++;
    fprintf(stderr, "train_classifier: %zu beats (N %ld, S %ld, V %ld, F %ld)\n", d.count,
            counts[0], counts[1], counts[2], counts[3]);
    if (dump) dump_inputs(&d, dump);
    if (cv) cross_validate(&d);
    if (out) {
        model m;
        if (!train(&d, -1, &m)) {
            fprintf(stderr, "train_classifier: training failed (singular covariance)\n");
            return 2;
        }
        if (!write_model(&m, out, d.count)) return 2;
    }
    free(d.items);
    return 0;
}
