CREATE TABLE public.h (id int NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE public.h0 PARTITION OF public.h FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE public.h1 (id int NOT NULL, v text);
ALTER TABLE public.h ATTACH PARTITION public.h1 FOR VALUES WITH (modulus 2, remainder 1);
