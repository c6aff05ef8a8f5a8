/*
 * Every heap block the wasm module frees is wiped before Emscripten's allocator (emmalloc) takes
 * it back: free() and realloc() here replace emmalloc's, which it declares weak. Secrets pass
 * through buffers the core does not own (nlohmann's lexer keeps the last string it read, libc++
 * strings and vectors leave their old block when they grow, embind copies every string argument,
 * OpenSSL grows its big numbers), and each was freed as it was. Wiping at the one place every
 * block goes back makes "wiped when dropped" hold for all of them, whoever allocated.
 * Linked into the wasm modules only (cmake/wasm.cmake); native builds keep their libc's.
 */
#include <emscripten/emmalloc.h>
#include <stddef.h>
#include <string.h>

void free(void *ptr)
{
    if (ptr == NULL)
        return;
    explicit_bzero(ptr, emmalloc_usable_size(ptr));
    emmalloc_free(ptr);
}

/* Grows by moving, so the old block goes through free() above; never resizes in place. */
void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return emmalloc_malloc(size);
    if (size == 0) {  /* as emmalloc's: frees, returns NULL */
        free(ptr);
        return NULL;
    }
    size_t held = emmalloc_usable_size(ptr);
    if (size <= held)
        return ptr;
    void *moved = emmalloc_malloc(size);
    if (moved == NULL)
        return NULL;  /* the old block stays valid, as C requires */
    memcpy(moved, ptr, held);
    free(ptr);
    return moved;
}
