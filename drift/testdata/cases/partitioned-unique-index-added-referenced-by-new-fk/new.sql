CREATE TABLE public.account (
    region text NOT NULL,
    code text NOT NULL,
    name text
) PARTITION BY LIST (region);
CREATE TABLE public.account_eu PARTITION OF public.account FOR VALUES IN ('eu');
CREATE TABLE public.account_us PARTITION OF public.account FOR VALUES IN ('us');
CREATE UNIQUE INDEX account_region_code ON public.account (region, code);
CREATE TABLE public.invoice (
    id bigint PRIMARY KEY,
    region text NOT NULL,
    account_code text NOT NULL
);
ALTER TABLE public.invoice ADD CONSTRAINT invoice_account_fk FOREIGN KEY (region, account_code) REFERENCES public.account (region, code);
