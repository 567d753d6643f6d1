/* Shared declarations of the credgov OPA-ABI runtime (values, memory, errors). */
#ifndef CREDGOV_RUNTIME_H
#define CREDGOV_RUNTIME_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef long long i64;
typedef unsigned long long u64;
typedef unsigned long size_t;
#define NULL ((void *)0)

#define EXPORT(name) __attribute__((export_name(#name))) 
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* Type tags; their numeric order is OPA's cross-type sort order. */
enum { T_NULL = 1, T_BOOL, T_NUM, T_STR, T_ARR, T_OBJ, T_SET };

typedef struct value { u8 type; } value;
typedef struct { u8 type; u8 b; } vbool;
/* Numbers: exact int64 when integral and in range, otherwise the decimal text (s, len).
 * i and s share storage (16 bytes, not 24): read i only when is_int, s only when not. */
typedef struct { u8 type; u8 is_int; u32 len; union { i64 i; const char *s; }; } vnum;
/* hash: cached string hash, 0 = not computed yet (constant keys hash once) */
typedef struct { u8 type; u32 len; const char *s; u32 hash; } vstr;
typedef struct { u8 type; u32 len, cap; value **elems; } varr;
typedef struct entry { value *key; value *val; struct entry *next; u32 hash; } entry;
/* Objects and sets: chained hash for O(1) lookup, plus the entries in insertion
 * order (OPA iterates in insertion order and compares/dumps in key order). */
typedef struct { u8 type; u8 sorted; u32 len, cap, nbuckets; entry **buckets; entry **order; } vobj;

/* memory.c */
void *rt_malloc(u32 n);
int rt_grow_last(void *p, u32 n, u32 m);
void *rt_memcpy(void *d, const void *s, u32 n);
void *rt_memset(void *d, int c, u32 n);
u32 rt_strlen(const char *s);
int rt_memcmp(const void *a, const void *b, u32 n);
void rt_abort(const char *msg) __attribute__((noreturn));
void rt_type_error(const char *builtin, const char *msg) __attribute__((noreturn));

/* buf.c: growable byte buffer */
typedef struct { char *p; u32 len, cap; } buf;
void buf_init(buf *b, u32 cap);
void buf_put(buf *b, const char *s, u32 n);
void buf_putc(buf *b, char c);
void buf_puts(buf *b, const char *s);
/* the UTF-8 encoding of code point cp */
void buf_put_utf8(buf *b, u32 cp);
void buf_put_i64(buf *b, i64 v);
char *buf_cstr(buf *b);

/* value.c */
extern vbool rt_true, rt_false;
extern value rt_null_v;
value *opa_null(void);
value *opa_boolean(int b);
value *opa_number_int(i64 v);
value *opa_number_ref(const char *s, u32 len);
value *opa_number_ref_cstr(const char *s);
value *opa_string(const char *s, u32 len);
value *opa_string_cstr(const char *s);
value *opa_array_with_cap(u32 cap);
void opa_array_append(value *a, value *v);
value *opa_object(void);
value *opa_set(void);
void opa_object_insert(value *o, value *k, value *v);
void opa_set_add(value *s, value *v);
value *rt_array_from(value **elems, u32 n);
value *rt_object_from(value **kv, u32 n);
u32 rt_str_hash(const char *s, u32 len);
value *opa_value_get(value *v, value *k);
entry *rt_obj_find(vobj *o, value *k);
entry **rt_obj_sorted(vobj *o);
u32 opa_value_length(value *v);
value *opa_value_shallow_copy(value *v);
value *opa_value_merge(value *a, value *b);
u32 rt_hash(value *v);
int rt_num_to_i64(value *v, i64 *out);
int rt_is_int(value *v);
value *rt_iter_key(value *v, u32 i);
value *rt_iter_val(value *v, u32 i);
#define rt_iter_val_any(v, i) (rt_iter_key((v), (i)), rt_iter_val((v), (i)))

/* compare.c */
int opa_value_compare(value *a, value *b);
int rt_equal(value *a, value *b);

/* number.c: exact decimals */
typedef struct { int neg; u32 n; u8 *d; i32 exp; } dec; /* value = (-1)^neg * 0.d1d2..dn * 10^exp, d has no leading/trailing zeros; n==0 means 0 */
void dec_from_value(value *v, dec *out);
void dec_from_u64(u64 u, dec *out);
value *dec_to_value(dec *d);
int dec_cmp(dec *a, dec *b);
void dec_add(dec *a, dec *b, dec *r);
void dec_mul(dec *a, dec *b, dec *r);
int dec_div(dec *a, dec *b, dec *r, u32 prec);
void dec_round(dec *a, int mode, dec *r);
int rt_num_cmp(value *a, value *b);
u32 rt_num_hash(value *v);
void rt_num_write(buf *b, value *v);
double rt_num_to_double(value *v);

/* builtins_text.c */
void rt_rego_text(buf *b, value *v);

/* json.c */
value *rt_json_parse(char *s, u32 len);
void rt_json_write(buf *b, value *v);
char *rt_json_dump_cstr(value *v);

#endif
