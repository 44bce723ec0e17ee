CREATE TABLE public.item (
    shop integer NOT NULL,
    sku text NOT NULL,
    price numeric
) PARTITION BY HASH (shop);
CREATE TABLE public.item_0 PARTITION OF public.item FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.item_1 PARTITION OF public.item FOR VALUES WITH (MODULUS 2, REMAINDER 1);
ALTER TABLE public.item_0 ADD CONSTRAINT item_0_key PRIMARY KEY (shop, sku);
ALTER TABLE public.item_1 ADD CONSTRAINT item_1_key PRIMARY KEY (shop, sku);
CREATE TABLE public.basket_line (
    id bigint PRIMARY KEY,
    shop integer NOT NULL,
    sku text NOT NULL
);
